package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"ledgerdesk/adapters/postgres/pgserver"
	"ledgerdesk/adapters/wmstore"
	"ledgerdesk/projector"
)

// smallServer is the small PostgreSQL: 40 connections in all.
const smallServer = 40

// TestProcessServeFourProjectorsAndCommandsShareASmallServer runs, on a server that allows
// only 40 connections, serve, four project processes and CLI commands side by side: nobody
// is refused a connection, every projection is owned by exactly one process, the read
// models catch up, and when a projector stops the others take over what it owned.
func TestProcessServeFourProjectorsAndCommandsShareASmallServer(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster of its own")
	}
	ctx := context.Background()
	srv, err := pgserver.Resolve(ctx, pgserver.Options{
		DataDir: filepath.Join(shortTempDir(t), "pg"), ForceThrowaway: true, MaxConnections: smallServer,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Stop() })
	admin := procPool(t, srv.URL+"&pool_max_conns=1")
	if _, err := admin.Exec(ctx, `CREATE DATABASE ledgerdesk`); err != nil {
		t.Fatal(err)
	}
	base := strings.Replace(srv.URL, "/postgres?", "/ledgerdesk?", 1)
	as := func(name string) string { return base + "&application_name=" + name }
	migrate := startProc(t, as("ledgerdesk-migrate"), nil, "migrate")
	migrate.wantExit(0)

	watch := procPool(t, base+"&pool_max_conns=2&application_name=ledgerdesk-test")
	// The projectors first, so that they share the projections out among themselves; serve
	// then finds them owned and waits its turn.
	projectors := map[string]*proc{}
	for i := range 4 {
		name := fmt.Sprintf("ledgerdesk-project-%d", i)
		projectors[name] = startProc(t, as(name), nil, "project")
	}
	var serve *proc
	running := func() []string {
		var names []string
		if serve != nil {
			names = append(names, "ledgerdesk-serve")
		}
		for name, p := range projectors {
			select {
			case <-p.done:
			default:
				names = append(names, name)
			}
		}
		return names
	}
	first := projectors["ledgerdesk-project-0"]
	consumers := projectionNames(t, as("ledgerdesk-cli-names"))
	first.waitUntil("every projection owned by exactly one projector", ownedOnce(t, watch, consumers, running))
	serve = startProc(t, as("ledgerdesk-serve"), nil, "serve")
	addr := serve.env("LEDGERDESK_HTTP_ADDR")
	serve.waitUntil("answering /healthz", func() bool {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	serve.waitUntil("every projection owned by exactly one running process", ownedOnce(t, watch, consumers, running))
	t.Logf("%d consumers owned: %v; %d connections open", len(consumers), heldBy(t, watch), connections(t, watch))

	// Commands side by side, each a process with a pool of its own.
	var wg sync.WaitGroup
	clinician, patient := uuid.NewString(), uuid.NewString()
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			book := startProc(t, as(fmt.Sprintf("ledgerdesk-cli-%d", i)), nil, "appointments", "book",
				"--patient", patient, "--clinician", clinician, "--fee", "120",
				"--starts", time.Date(2026, 3, 2+i, 10, 0, 0, 0, time.UTC).Format(time.RFC3339))
			book.wantExit(0)
		}()
	}
	wg.Wait()
	status := startProc(t, as("ledgerdesk-cli-status"), nil, "projections", "status", "--json")
	status.wantExit(0)
	serve.waitUntil("every projection caught up", caughtUp(t, as("ledgerdesk-cli-status")))

	// The projector owning most stops: what it owned passes to the others.
	stopped, most := "", 0
	for name, n := range heldBy(t, watch) {
		if projectors[name] != nil && n > most {
			stopped, most = name, n
		}
	}
	if stopped == "" {
		t.Fatal("no projector owns anything")
	}
	projectors[stopped].signal(syscall.SIGTERM)
	projectors[stopped].wantExit(0)
	serve.waitUntil("the stopped projector's projections owned by the others", ownedOnce(t, watch, consumers, running))
	t.Logf("after %s stopped: %v; %d connections open", stopped, heldBy(t, watch), connections(t, watch))

	for _, p := range append([]*proc{serve}, valuesOf(projectors)...) {
		if out := p.out.String(); strings.Contains(out, "too many clients") || strings.Contains(out, "remaining connection slots") {
			t.Fatalf("a process was refused a connection:\n%s", out)
		}
	}
}

func connections(t *testing.T, db querier) int {
	t.Helper()
	rows, err := db.Query(context.Background(), `SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'`)
	if err != nil {
		t.Fatal(err)
	}
	n, err := pgx.CollectExactlyOneRow(rows, pgx.RowTo[int])
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// projectionNames are the consumers `projections status` reports on: every read model and
// policy the binary runs.
func projectionNames(t testing.TB, url string) []string {
	t.Helper()
	cmd := exec.Command(procLedgerdesk(t), "projections", "status", "--json")
	cmd.Env = procEnv(map[string]string{"DATABASE_URL": url, "LEDGERDESK_MASTER_KEY": procMasterKey})
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("projections status: %v", err)
	}
	var st []projector.Status
	if err := json.Unmarshal(out, &st); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range st {
		names = append(names, s.Name)
	}
	if len(names) < 10 {
		t.Fatalf("only %d projections: %v", len(names), names)
	}
	return names
}

type querier interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}

// lockHolders maps each advisory lock held in the database to the application names of the
// sessions holding it.
func lockHolders(t testing.TB, db querier) map[int64][]string {
	t.Helper()
	rows, err := db.Query(context.Background(), `
		SELECT (l.classid::bigint << 32) | l.objid::bigint, a.application_name
		FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
		  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64][]string{}
	for rows.Next() {
		var key int64
		var app string
		if err := rows.Scan(&key, &app); err != nil {
			t.Fatal(err)
		}
		out[key] = append(out[key], app)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// heldBy counts the consumers each process owns.
func heldBy(t testing.TB, db querier) map[string]int {
	out := map[string]int{}
	for _, apps := range lockHolders(t, db) {
		for _, a := range apps {
			out[a]++
		}
	}
	return out
}

func ownedOnce(t testing.TB, db querier, consumers []string, running func() []string) func() bool {
	return func() bool {
		held := lockHolders(t, db)
		alive := map[string]bool{}
		for _, n := range running() {
			alive[n] = true
		}
		for _, c := range consumers {
			apps := held[wmstore.LockKey(c)]
			if len(apps) != 1 || !alive[apps[0]] {
				return false
			}
		}
		return true
	}
}

func caughtUp(t *testing.T, url string) func() bool {
	exe := procLedgerdesk(t)
	return func() bool {
		cmd := exec.Command(exe, "projections", "status", "--json")
		cmd.Env = procEnv(map[string]string{"DATABASE_URL": url, "LEDGERDESK_MASTER_KEY": procMasterKey})
		out, err := cmd.Output()
		if err != nil {
			return false
		}
		var st []projector.Status
		if err := json.Unmarshal(out, &st); err != nil {
			t.Errorf("projections status --json: %v\n%s", err, out)
			return true
		}
		for _, s := range st {
			if s.Lag != 0 || s.Parked != 0 {
				return false
			}
		}
		return len(st) > 0
	}
}

// shortTempDir is a temporary directory with a short path (a cluster's socket lives in its
// data directory, and a Unix socket's path is at most 107 bytes) that the postgres user
// can reach when the test runs as root.
func shortTempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("/tmp", "ldmp")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	return dir
}

func valuesOf(m map[string]*proc) []*proc {
	var out []*proc
	for _, p := range m {
		out = append(out, p)
	}
	return out
}
