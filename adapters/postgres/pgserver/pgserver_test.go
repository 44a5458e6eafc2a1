package pgserver

import (
	"context"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// The last resort of the README's promise: no server anywhere, so ledgerdesk makes and
// runs its own cluster from the PostgreSQL binaries.
func TestStartsAThrowawayClusterWhenNoServerIsReachable(t *testing.T) {
	if testing.Short() {
		t.Skip("runs initdb")
	}
	if _, err := binDir(); err != nil {
		t.Skipf("no PostgreSQL binaries here: %v", err)
	}
	dir, err := os.MkdirTemp("", "ledgerdesk-pgserver-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	ctx := context.Background()
	srv, err := startCluster(ctx, dir, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !srv.Started {
		t.Fatal("the server should be marked as started by us")
	}
	if err := ping(ctx, srv.URL); err != nil {
		t.Fatalf("the cluster does not answer: %v", err)
	}
	// A second start reuses the data directory.
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	again, err := startCluster(ctx, dir, 0, nil)
	if err != nil {
		t.Fatalf("restarting on the same data directory: %v", err)
	}
	defer again.Stop()
	if err := ping(ctx, again.URL); err != nil {
		t.Fatal(err)
	}
	if err := again.Stop(); err != nil {
		t.Fatal(err)
	}
	if ping(ctx, again.URL) == nil {
		t.Fatal("the cluster still answers after Stop")
	}
}

func TestDatabaseURLThatDoesNotAnswerIsAClearError(t *testing.T) {
	if _, err := Resolve(context.Background(), Options{URL: "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=1"}); err == nil {
		t.Fatal("a DATABASE_URL that does not answer was accepted")
	}
}

// The README's default, `.ledgerdesk/pgdata` below a working directory, as the user running
// the tests (root on the CI machines: the cluster then runs as "postgres" and must be able
// to reach a data directory two levels below the ones that existed), and forced even though
// a local server may answer.
func TestTheDefaultNestedPathWorksForTheCurrentUser(t *testing.T) {
	if testing.Short() {
		t.Skip("runs initdb")
	}
	if _, err := binDir(); err != nil {
		t.Skipf("no PostgreSQL binaries here: %v", err)
	}
	base := shortTempDir(t, 0o755) // a working directory as people have them
	checkNestedDefault(t, filepath.Join(base, "a", ".ledgerdesk", "pgdata"))
}

// The same path as an ordinary user. Run as root, the check runs in a child process as
// "nobody", from a copy of this test binary that nobody can read.
func TestTheDefaultNestedPathWorksForAnOrdinaryUser(t *testing.T) {
	if testing.Short() {
		t.Skip("runs initdb")
	}
	if _, err := binDir(); err != nil {
		t.Skipf("no PostgreSQL binaries here: %v", err)
	}
	if os.Geteuid() != 0 {
		base := shortTempDir(t, 0o755)
		checkNestedDefault(t, filepath.Join(base, "a", ".ledgerdesk", "pgdata"))
		return
	}
	runuser, err := exec.LookPath("runuser")
	if err != nil {
		t.Skip("running as root without runuser: no way to run the check as an ordinary user")
	}
	nobody, err := user.Lookup("nobody")
	if err != nil {
		t.Skipf("running as root without a \"nobody\" user: %v", err)
	}
	base := shortTempDir(t, 0o755)
	self, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(base, "pgserver.test")
	if err := os.WriteFile(bin, self, 0o755); err != nil {
		t.Fatal(err)
	}
	work := filepath.Join(base, "w") // the ordinary user's working directory
	if err := os.Mkdir(work, 0o755); err != nil {
		t.Fatal(err)
	}
	uid, _ := strconv.Atoi(nobody.Uid)
	gid, _ := strconv.Atoi(nobody.Gid)
	if err := os.Chown(work, uid, gid); err != nil {
		t.Fatal(err)
	}
	dataDir := filepath.Join(work, "a", ".ledgerdesk", "pgdata")
	t.Cleanup(func() {
		// Should the child have died with its cluster up, stop it as its owner.
		if _, err := os.Stat(filepath.Join(dataDir, "postmaster.pid")); err == nil {
			if bin, err := binDir(); err == nil {
				_ = exec.Command(runuser, "-u", nobody.Username, "--", filepath.Join(bin, "pg_ctl"), "-D", dataDir, "-m", "immediate", "-w", "stop").Run()
			}
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, runuser, "-u", nobody.Username, "--", bin, "-test.run=^TestNestedDefaultPathChild$", "-test.count=1", "-test.v")
	cmd.Dir = work
	cmd.Env = append(os.Environ(), nestedChildEnv+"="+dataDir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the check as %s failed: %v\n%s", nobody.Username, err, out)
	}
	if !strings.Contains(string(out), "--- PASS: TestNestedDefaultPathChild") {
		t.Fatalf("the child did not run the check:\n%s", out)
	}
}

const nestedChildEnv = "LEDGERDESK_PGSERVER_NESTED_CHILD"

// TestNestedDefaultPathChild is the ordinary user's side of the test above.
func TestNestedDefaultPathChild(t *testing.T) {
	dir := os.Getenv(nestedChildEnv)
	if dir == "" {
		t.Skip("run by TestTheDefaultNestedPathWorksForAnOrdinaryUser")
	}
	if os.Geteuid() == 0 {
		t.Fatal("the child must run as an ordinary user")
	}
	checkNestedDefault(t, dir)
}

func checkNestedDefault(t *testing.T, dataDir string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	srv, err := Resolve(ctx, Options{DataDir: dataDir, ForceThrowaway: true})
	if err != nil {
		t.Fatal(err)
	}
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			_ = srv.Stop()
		}
	})
	if !srv.Started {
		t.Fatalf("ForceThrowaway used %s instead of starting the cluster in %s", srv.URL, dataDir)
	}
	conn, err := pgx.Connect(ctx, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	var dir string
	if err := conn.QueryRow(ctx, "SHOW data_directory").Scan(&dir); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	if dir != dataDir {
		t.Fatalf("the server runs on %s, want %s", dir, dataDir)
	}
	stopped = true
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
}

// shortTempDir is a temporary directory with a short name (the server's socket lives in the
// data directory, and socket paths are limited to about 100 bytes) and the given mode.
func shortTempDir(t *testing.T, mode os.FileMode) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "ldpg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, mode); err != nil {
		t.Fatal(err)
	}
	return dir
}

// As root, a directory above the data directory that the server's user cannot enter is
// named, with what to do, instead of initdb's bare "Permission denied".
func TestAnUnreachableDataDirectoryIsNamed(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root hands the cluster to another user")
	}
	if _, err := user.Lookup("postgres"); err != nil {
		t.Skip("no postgres user")
	}
	if _, err := binDir(); err != nil {
		t.Skipf("no PostgreSQL binaries here: %v", err)
	}
	base := shortTempDir(t, 0o700)
	_, err := Resolve(context.Background(), Options{DataDir: filepath.Join(base, ".ledgerdesk", "pgdata"), ForceThrowaway: true})
	if err == nil || !strings.Contains(err.Error(), base+" (mode 0700") || !strings.Contains(err.Error(), "LEDGERDESK_DATA_DIR") {
		t.Fatalf("want an error naming %s and the way out, got %v", base, err)
	}
}
