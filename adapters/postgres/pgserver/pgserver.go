// Package pgserver finds a PostgreSQL server to use, or starts a throwaway one.
//
// The order is the one the README promises: DATABASE_URL if set; else a server already
// listening locally; else a private cluster that ledgerdesk creates with initdb and runs with
// pg_ctl under a data directory. The last step is what makes the run and test commands work
// on a fresh machine that has only the PostgreSQL binaries installed. Options.ForceThrowaway
// goes straight to the last step.
//
// As root the cluster runs as the "postgres" user (initdb refuses root), so the data
// directory is handed to that user and the directories created above it are left
// traversable; one that already exists and is not is named in the error.
package pgserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// Options says where a throwaway cluster may live.
type Options struct {
	// URL, when set, is the server to use (the caller's DATABASE_URL): it must answer.
	URL string
	// DataDir is where a cluster is created if one must be started. Reused when it exists.
	DataDir string
	// Logger receives progress messages; nil discards them.
	Logger *slog.Logger
	// ForceThrowaway skips URL and the local servers and always uses (or starts) the
	// cluster in DataDir: for a machine whose local server belongs to someone else.
	ForceThrowaway bool
	// MaxConnections is the max_connections of a cluster started here (default 200). A
	// small one is how a test shows that processes fit a small server.
	MaxConnections int
}

// ForceThrowawayEnv is the environment variable that, set to 1, asks for ForceThrowaway
// (withpg and pgtest read it; so should every command that resolves a server).
const ForceThrowawayEnv = "LEDGERDESK_THROWAWAY_PG"

// Server is a resolved server. Stop is a no-op unless this process started the cluster.
type Server struct {
	// URL connects to the server's maintenance database ("postgres").
	URL     string
	Started bool
	stop    func() error
}

// Stop shuts down a cluster this process started.
func (s *Server) Stop() error {
	if s.stop == nil {
		return nil
	}
	return s.stop()
}

// ErrNoPostgres says there is no server and no binaries to start one.
var ErrNoPostgres = errors.New("no PostgreSQL server reachable and no initdb/pg_ctl found: set DATABASE_URL, or install PostgreSQL (Debian/Ubuntu: apt-get install postgresql)")

// localCandidates are the servers tried when DATABASE_URL is unset.
var localCandidates = []string{
	"postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable",
	"postgres://postgres@localhost:5432/postgres?sslmode=disable",
	"host=/var/run/postgresql user=postgres dbname=postgres",
}

// Resolve finds or starts a server.
func Resolve(ctx context.Context, opts Options) (*Server, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if opts.ForceThrowaway {
		if opts.DataDir == "" {
			return nil, errors.New("a throwaway cluster was asked for but no data directory was given")
		}
		return startCluster(ctx, opts.DataDir, opts.MaxConnections, log)
	}
	if url := opts.URL; url != "" {
		if err := ping(ctx, url); err != nil {
			return nil, fmt.Errorf("DATABASE_URL is set but does not answer: %w", err)
		}
		return &Server{URL: url}, nil
	}
	for _, url := range localCandidates {
		if ping(ctx, url) == nil {
			log.Info("using the local PostgreSQL server", "url", redact(url))
			return &Server{URL: url}, nil
		}
	}
	if opts.DataDir == "" {
		return nil, fmt.Errorf("%w (no data directory given for a throwaway cluster)", ErrNoPostgres)
	}
	return startCluster(ctx, opts.DataDir, opts.MaxConnections, log)
}

func ping(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	return conn.Ping(ctx)
}

func redact(url string) string {
	if i := strings.Index(url, "://"); i >= 0 {
		if j := strings.Index(url[i+3:], "@"); j >= 0 {
			creds := url[i+3 : i+3+j]
			if k := strings.Index(creds, ":"); k >= 0 {
				return url[:i+3] + creds[:k] + ":***" + url[i+3+j:]
			}
		}
	}
	return url
}

// binDir finds initdb and pg_ctl: on PATH, or in Debian's versioned directory.
func binDir() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if _, err := exec.LookPath("pg_ctl"); err == nil {
			return filepath.Dir(p), nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Sort(sort.Reverse(sort.StringSlice(dirs)))
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", ErrNoPostgres
}

func startCluster(ctx context.Context, dataDir string, maxConnections int, log *slog.Logger) (*Server, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	dataDir, err = filepath.Abs(dataDir)
	if err != nil {
		return nil, err
	}
	// PostgreSQL refuses to run as root; as root we run it as the "postgres" user that the
	// Debian package creates.
	runAs, err := unprivilegedUser()
	if err != nil {
		return nil, err
	}
	if err := makeDataDir(dataDir, runAs); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(dataDir, "PG_VERSION")); err != nil {
		log.Info("creating a throwaway PostgreSQL cluster", "dir", dataDir)
		if out, err := run(ctx, runAs, filepath.Join(bin, "initdb"), "-D", dataDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-sync"); err != nil {
			return nil, fmt.Errorf("initdb: %w\n%s", err, out)
		}
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	if maxConnections <= 0 {
		maxConnections = 200
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=%d", port, dataDir, maxConnections)
	logFile := filepath.Join(dataDir, "server.log")
	if out, err := run(ctx, runAs, filepath.Join(bin, "pg_ctl"), "-D", dataDir, "-l", logFile, "-o", opts, "-w", "-t", "60", "start"); err != nil {
		return nil, fmt.Errorf("pg_ctl start: %w\n%s", err, out)
	}
	url := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	log.Info("started a throwaway PostgreSQL cluster", "dir", dataDir, "url", url)
	stop := func() error {
		out, err := run(context.Background(), runAs, filepath.Join(bin, "pg_ctl"), "-D", dataDir, "-m", "fast", "-w", "stop")
		if err != nil {
			return fmt.Errorf("pg_ctl stop: %w\n%s", err, out)
		}
		return nil
	}
	if err := ping(ctx, url); err != nil {
		_ = stop()
		return nil, fmt.Errorf("started cluster does not answer: %w", err)
	}
	return &Server{URL: url, Started: true, stop: stop}, nil
}

func unprivilegedUser() (*user.User, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root, PostgreSQL needs an unprivileged user and there is no \"postgres\" user: %w", err)
	}
	return u, nil
}

// makeDataDir creates dataDir, mode 0700, owned by the user the server runs as. When that
// user is not us (we are root), every directory above it must let that user through: the
// ones created here are made traversable (0711: through, not listable), and an existing
// one that is not is reported with what to do, rather than left for initdb's bare
// "Permission denied".
func makeDataDir(dataDir string, runAs *user.User) error {
	if runAs == nil {
		if err := os.MkdirAll(dataDir, 0o700); err != nil {
			return fmt.Errorf("creating %s: %w", dataDir, err)
		}
		return nil
	}
	var missing []string
	for d := dataDir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		} else if !errors.Is(err, os.ErrNotExist) {
			return err
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	for i := len(missing) - 1; i >= 0; i-- {
		d, mode := missing[i], os.FileMode(0o711)
		if d == dataDir {
			mode = 0o700
		}
		if err := os.Mkdir(d, mode); err != nil && !errors.Is(err, os.ErrExist) {
			return fmt.Errorf("creating %s: %w", d, err)
		}
		if err := os.Chmod(d, mode); err != nil { // whatever the umask made of it
			return err
		}
	}
	if err := chownTree(dataDir, runAs); err != nil {
		return err
	}
	if err := os.Chmod(dataDir, 0o700); err != nil {
		return err
	}
	for d := filepath.Dir(dataDir); ; d = filepath.Dir(d) {
		if err := canTraverse(d, runAs); err != nil {
			return err
		}
		if filepath.Dir(d) == d {
			return nil
		}
	}
}

// canTraverse says whether u may pass through directory d, by its mode bits.
func canTraverse(d string, u *user.User) error {
	fi, err := os.Stat(d)
	if err != nil {
		return err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	uid, _ := strconv.ParseUint(u.Uid, 10, 32)
	mode := fi.Mode().Perm()
	var through bool
	switch {
	case uint64(st.Uid) == uid:
		through = mode&0o100 != 0
	case inGroup(u, st.Gid):
		through = mode&0o010 != 0
	default:
		through = mode&0o001 != 0
	}
	if through {
		return nil
	}
	return fmt.Errorf("PostgreSQL runs as the %q user here (initdb refuses root), and it cannot enter %s (mode %04o, owner uid %d): "+
		"allow it through (chmod o+x %s) or put the cluster under a directory it can reach (LEDGERDESK_DATA_DIR=/var/tmp/ledgerdesk/pgdata)",
		u.Username, d, mode, st.Uid, d)
}

func inGroup(u *user.User, gid uint32) bool {
	want := strconv.FormatUint(uint64(gid), 10)
	if u.Gid == want {
		return true
	}
	ids, _ := u.GroupIds()
	for _, id := range ids {
		if id == want {
			return true
		}
	}
	return false
}

func chownTree(dir string, u *user.User) error {
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, gid)
	})
}

func run(ctx context.Context, as *user.User, name string, args ...string) ([]byte, error) {
	var cmd *exec.Cmd
	if as != nil {
		cmd = exec.CommandContext(ctx, "runuser", append([]string{"-u", as.Username, "--", name}, args...)...)
	} else {
		cmd = exec.CommandContext(ctx, name, args...)
	}
	// pg_ctl start leaves the server running with our stdout; give it none so that the
	// caller's pipes close when the caller is done.
	cmd.Stdin = nil
	return cmd.CombinedOutput()
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
