package main

// These tests run the real binary as a child process and stop it with a real signal
// (issue 11 item 5): SIGTERM or SIGINT ends serve, project and projections rebuild within
// 10 s in every state, and a wiring error ends project at once with a non-zero status.
//
// Exit statuses (see cli.StopOnSignal): 0 when serve or project stopped cleanly on the signal;
// 128 + the signal (130 SIGINT, 143 SIGTERM) when the signal cut work short.

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
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
	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/adapters/postgres"
	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/cmd/ledgerdesk/internal/cli"
	"ledgerdesk/cmd/ledgerdesk/internal/clitest"
	"ledgerdesk/eventstore"
)

// procStopDeadline is the liveness bound, not a speed goal: a process that has not
// exited this long after the signal is hung.
const procStopDeadline = 10 * time.Second

// procReadyDeadline is how long a child may take to get to the state a test signals it in.
const procReadyDeadline = 90 * time.Second

var procBinary struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	if os.Getenv("LEDGERDESK_PROCESS_TEST_HANG") != "" {
		hangOnSignal()
	}
	// Alone: the transactions these tests hold open stall every projector on the cluster.
	code := clitest.Main(m, true)
	if procBinary.dir != "" {
		os.RemoveAll(procBinary.dir)
	}
	os.Exit(code)
}

// hangOnSignal is a child (this test binary again) whose work ignores its context, as a
// stuck shutdown would: only cli.StopOnSignal can end it.
func hangOnSignal() {
	ctx, cancel := context.WithCancelCause(context.Background())
	cli.StopOnSignal(cancel)
	fmt.Println("hanging")
	<-ctx.Done()
	fmt.Println("ignoring", context.Cause(ctx))
	time.Sleep(time.Hour)
	os.Exit(3)
}

// procLedgerdesk builds the command once per test run.
func procLedgerdesk(t testing.TB) string {
	t.Helper()
	procBinary.once.Do(func() {
		if procBinary.dir, procBinary.err = os.MkdirTemp("", "ledgerdesk-process-test-"); procBinary.err != nil {
			return
		}
		procBinary.path = filepath.Join(procBinary.dir, "ledgerdesk")
		// go test puts its own go command first on PATH.
		out, err := exec.Command("go", "build", "-o", procBinary.path, ".").CombinedOutput()
		if err != nil {
			procBinary.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if procBinary.err != nil {
		t.Fatal(procBinary.err)
	}
	return procBinary.path
}

// procOutput collects a child's output while the test reads it.
type procOutput struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *procOutput) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *procOutput) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type proc struct {
	t    testing.TB
	cmd  *exec.Cmd
	out  *procOutput
	done chan struct{}
	err  error
	vars map[string]string
}

// procMasterKey is a well-formed LEDGERDESK_MASTER_KEY (base64 of 32 bytes).
var procMasterKey = base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))

// startProc runs ledgerdesk with args against the database at url; env adds to (and
// overrides) the variables the test sets.
func startProc(t testing.TB, url string, env map[string]string, args ...string) *proc {
	t.Helper()
	return startExe(t, procLedgerdesk(t), url, env, args...)
}

func startExe(t testing.TB, exe, url string, env map[string]string, args ...string) *proc {
	t.Helper()
	// serve writes mail to a directory when no mail server is set: a temporary one, not the source tree.
	vars := map[string]string{"DATABASE_URL": url, "LEDGERDESK_MASTER_KEY": procMasterKey, "LEDGERDESK_HTTP_ADDR": procFreeAddr(t),
		"LEDGERDESK_MAIL_DIR": filepath.Join(t.TempDir(), "mail")}
	for k, v := range env {
		vars[k] = v
	}
	c := &proc{t: t, cmd: exec.Command(exe, args...), out: &procOutput{}, done: make(chan struct{}), vars: vars}
	c.cmd.Env = procEnv(vars)
	c.cmd.Stdout, c.cmd.Stderr = c.out, c.out
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { c.err = c.cmd.Wait(); close(c.done) }()
	t.Cleanup(func() {
		select {
		case <-c.done:
		default:
			_ = c.cmd.Process.Kill()
			<-c.done
		}
		if t.Failed() {
			t.Logf("ledgerdesk %s output:\n%s", strings.Join(args, " "), c.out.String())
		}
	})
	return c
}

// procEnv is this process's environment without any ledgerdesk setting, plus vars.
func procEnv(vars map[string]string) []string {
	var environ []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "LEDGERDESK_") && !strings.HasPrefix(kv, "DATABASE_URL=") {
			environ = append(environ, kv)
		}
	}
	for k, v := range vars {
		environ = append(environ, k+"="+v)
	}
	return environ
}

// env is the value the child was given for a variable.
func (c *proc) env(key string) string { return c.vars[key] }

func procFreeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// waitUntil polls cond until it holds, failing the test if the child exits first.
func (c *proc) waitUntil(what string, cond func() bool) {
	c.t.Helper()
	deadline := time.After(procReadyDeadline)
	for !cond() {
		select {
		case <-c.done:
			c.t.Fatalf("ledgerdesk exited (%v) before %s", c.err, what)
		case <-deadline:
			// SIGQUIT makes the Go runtime print every goroutine: the output (printed on
			// failure) then says where it was stuck.
			_ = c.cmd.Process.Signal(syscall.SIGQUIT)
			select {
			case <-c.done:
			case <-time.After(5 * time.Second):
			}
			c.t.Fatalf("ledgerdesk did not get to %s in %s", what, procReadyDeadline)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func (c *proc) waitForOutput(s string) {
	c.t.Helper()
	c.waitUntil(fmt.Sprintf("printing %q", s), func() bool { return strings.Contains(c.out.String(), s) })
}

func (c *proc) signal(sig syscall.Signal) {
	c.t.Helper()
	if err := c.cmd.Process.Signal(sig); err != nil {
		c.t.Fatal(err)
	}
}

// exitStatus waits, within procStopDeadline, for the child to exit and returns its status.
func (c *proc) exitStatus() int {
	c.t.Helper()
	select {
	case <-c.done:
	case <-time.After(procStopDeadline):
		c.t.Fatalf("ledgerdesk still running %s after the signal", procStopDeadline)
	}
	var exit *exec.ExitError
	switch {
	case c.err == nil:
		return 0
	case errors.As(c.err, &exit) && exit.ExitCode() >= 0:
		return exit.ExitCode()
	default:
		c.t.Fatalf("ledgerdesk did not exit by itself: %v", c.err)
		return -1
	}
}

func (c *proc) wantExit(status int) {
	c.t.Helper()
	if got := c.exitStatus(); got != status {
		c.t.Fatalf("exit status %d, want %d", got, status)
	}
}

func procPool(t testing.TB, url string) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// procSeedNoise appends n events in a category no read model reads: every projection still
// receives each one, which is what keeps a projector busy catching up.
func procSeedNoise(t testing.TB, pool *pgxpool.Pool, n int) {
	t.Helper()
	store := postgres.New(pool, postgres.Config{})
	const perAppend = 1000
	for done := 0; done < n; done += perAppend {
		batch := make([]eventstore.EventData, 0, perAppend)
		for i := 0; i < perAppend && done+i < n; i++ {
			batch = append(batch, eventstore.EventData{ID: uuid.Must(uuid.NewV7()), Type: "processtest.noise.v1", Data: json.RawMessage(`{"i":1}`)})
		}
		if _, err := store.Append(context.Background(), "processtestnoise-"+uuid.NewString(), eventstore.NoStream(), batch...); err != nil {
			t.Fatal(err)
		}
	}
}

// procHoldCheckpoint locks consumer's checkpoint row until the test ends, as a projector in
// another process or a rebuild swapping tables in does: whoever needs it waits.
func procHoldCheckpoint(t *testing.T, pool *pgxpool.Pool, consumer string) {
	t.Helper()
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `INSERT INTO consumer_checkpoints (consumer) VALUES ($1) ON CONFLICT DO NOTHING`, consumer); err != nil {
		t.Fatal(err)
	}
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tx.Rollback(context.Background()) })
	if _, err := tx.Exec(ctx, `SELECT 1 FROM consumer_checkpoints WHERE consumer = $1 FOR UPDATE`, consumer); err != nil {
		t.Fatal(err)
	}
}

// procWaitingOnALock reports whether some other session of the database is waiting for a lock.
func procWaitingOnALock(t *testing.T, pool *pgxpool.Pool) func() bool {
	return func() bool {
		var n int
		err := pool.QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`).Scan(&n)
		if err != nil {
			t.Error(err)
			return true
		}
		return n > 0
	}
}

func TestProcessServeStopsOnSignal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(cli.SignalName(sig), func(t *testing.T) {
			t.Parallel()
			addr := procFreeAddr(t)
			c := startProc(t, pgtest.NewDatabase(t), map[string]string{"LEDGERDESK_HTTP_ADDR": addr}, "serve")
			c.waitUntil("answering /healthz", func() bool {
				resp, err := http.Get("http://" + addr + "/healthz")
				if err != nil {
					return false
				}
				resp.Body.Close()
				return resp.StatusCode == http.StatusOK
			})
			c.signal(sig)
			c.wantExit(0)
		})
	}
}

func TestProcessProjectStopsOnSIGTERMWhenIdle(t *testing.T) {
	t.Parallel()
	c := startProc(t, pgtest.NewDatabase(t), nil, "project")
	c.waitForOutput("projectors running")
	c.signal(syscall.SIGTERM)
	c.wantExit(0)
	if !strings.Contains(c.out.String(), "projectors stopped") {
		t.Fatalf("project did not say it stopped:\n%s", c.out.String())
	}
}

// With a malformed master key no read model can be built: project must not run with none
// and wait for a signal (issue 11 item 5), but fail at once and say why.
func TestProcessProjectWithABadMasterKeyExitsAtOnceNamingIt(t *testing.T) {
	t.Parallel()
	c := startProc(t, pgtest.NewDatabase(t), map[string]string{"LEDGERDESK_MASTER_KEY": "not-a-key"}, "project")
	select {
	case <-c.done:
	case <-time.After(procReadyDeadline):
		t.Fatal("project with a bad master key is still running; it should have failed")
	}
	if got := c.exitStatus(); got == 0 {
		t.Fatal("project with a bad master key exited 0")
	}
	out := c.out.String()
	if !strings.Contains(out, "LEDGERDESK_MASTER_KEY:") {
		t.Fatalf("the error does not name LEDGERDESK_MASTER_KEY:\n%s", out)
	}
	if strings.Contains(out, "projectors running") {
		t.Fatalf("project claimed to be running:\n%s", out)
	}
}

// Signalled while catching up on a long history, with one projection's batch waiting on a
// lock held elsewhere, project still stops cleanly.
func TestProcessProjectStopsOnSIGTERMMidBatch(t *testing.T) {
	t.Parallel()
	url := pgtest.NewDatabase(t)
	pool := procPool(t, url)
	procSeedNoise(t, pool, 30000)
	procHoldCheckpoint(t, pool, "appointments")
	c := startProc(t, url, nil, "project")
	c.waitForOutput("projectors running")
	c.waitUntil("a batch waiting on the held checkpoint", procWaitingOnALock(t, pool))
	c.waitUntil("catching up", func() bool {
		var seen int64
		err := pool.QueryRow(context.Background(), `SELECT coalesce(max(events_seen), 0) FROM consumer_checkpoints`).Scan(&seen)
		return err == nil && seen > 0
	})
	c.signal(syscall.SIGTERM)
	c.wantExit(0)
}

// Signalled while swapping the rebuilt tables in (it waits for the live projector's
// checkpoint), a rebuild gives up, leaves the live read model alone and says it was
// interrupted.
func TestProcessRebuildStopsOnSIGINTMidRebuild(t *testing.T) {
	t.Parallel()
	url := pgtest.NewDatabase(t)
	pool := procPool(t, url)
	procSeedNoise(t, pool, 12000)
	procHoldCheckpoint(t, pool, "appointments")
	c := startProc(t, url, nil, "projections", "rebuild", "appointments")
	// Not waiting for the bar's first line: on a busy machine the replay can reach the swap
	// before the bar draws anything.
	c.waitUntil("the swap waiting on the held checkpoint", procWaitingOnALock(t, pool))
	c.signal(syscall.SIGINT)
	c.wantExit(130)
	if strings.Contains(c.out.String(), "swapped it in") {
		t.Fatalf("an interrupted rebuild claims to have finished:\n%s", c.out.String())
	}
	var commit int64
	if err := pool.QueryRow(context.Background(), `SELECT commit_pos FROM consumer_checkpoints WHERE consumer = 'appointments'`).Scan(&commit); err != nil && !errors.Is(err, pgx.ErrNoRows) {
		t.Fatal(err)
	}
	if commit != 0 {
		t.Fatalf("the interrupted rebuild moved the checkpoint to %d", commit)
	}
}

// Signalled while --demo loads the demo history (it takes seconds), serve stops the load
// and says it was cut short: the history so far is kept, and a second --demo adds the rest.
func TestProcessServeStopsOnSIGTERMWhileLoadingTheDemo(t *testing.T) {
	t.Parallel()
	c := startProc(t, pgtest.NewDatabase(t), nil, "serve", "--demo")
	c.waitForOutput("cutover recorded")
	c.signal(syscall.SIGTERM)
	status := c.exitStatus()
	if strings.Contains(c.out.String(), "payments demo data ready") && status == 0 {
		t.Skip("the payments demo finished before the signal arrived")
	}
	if status != 143 {
		t.Fatalf("exit status %d, want 143 (the signal cut the demo load short)", status)
	}
}

// Signalled as soon as a rebuild of a long history reports progress, it stops (mid-replay,
// or at the latest in the swap, which the held checkpoint makes wait).
func TestProcessRebuildStopsOnSIGTERMMidReplay(t *testing.T) {
	t.Parallel()
	url := pgtest.NewDatabase(t)
	pool := procPool(t, url)
	procSeedNoise(t, pool, 30000)
	procHoldCheckpoint(t, pool, "appointments")
	c := startProc(t, url, nil, "projections", "rebuild", "appointments")
	c.waitForOutput("/30000 (") // the progress line, once the first batch is in
	swapping := procWaitingOnALock(t, pool)()
	c.signal(syscall.SIGTERM)
	c.wantExit(143)
	t.Logf("signalled %s", map[bool]string{false: "mid-replay", true: "in the swap"}[swapping])
	// After the signal, the bar stays where the replay stopped rather than filling up.
	if _, after, _ := strings.Cut(c.out.String(), "SIGTERM: stopping"); strings.Contains(after, "100%") {
		t.Fatalf("the interrupted rebuild's progress bar shows it finished:\n%s", c.out.String())
	}
	// Its output is a pipe, not a terminal: lines, never a bar redrawn with \r or escapes.
	if out := c.out.String(); strings.ContainsAny(out, "\r\x1b") {
		t.Fatalf("a progress bar was drawn into output that is not a terminal:\n%q", out)
	}
}

// When stopping hangs, the process exits anyway after the grace period, with the status of
// a process ended by the signal.
func TestProcessAHungShutdownEndsAfterTheGracePeriod(t *testing.T) {
	t.Parallel()
	c := startExe(t, os.Args[0], "", map[string]string{"LEDGERDESK_PROCESS_TEST_HANG": "1"})
	c.waitForOutput("hanging")
	c.signal(syscall.SIGTERM)
	c.wantExit(143)
	if !strings.Contains(c.out.String(), "exiting anyway") {
		t.Fatalf("no word of giving up:\n%s", c.out.String())
	}
}

// A second signal does not wait for the grace period.
func TestProcessASecondSignalExitsAtOnce(t *testing.T) {
	t.Parallel()
	c := startExe(t, os.Args[0], "", map[string]string{"LEDGERDESK_PROCESS_TEST_HANG": "1"})
	c.waitForOutput("hanging")
	c.signal(syscall.SIGINT)
	c.waitForOutput("ignoring received SIGINT")
	c.signal(syscall.SIGINT)
	c.wantExit(130)
	if out := c.out.String(); !strings.Contains(out, "SIGINT again: exiting now") || strings.Contains(out, "exiting anyway") {
		t.Fatalf("the second signal did not end it at once:\n%s", out)
	}
}

// A malformed setting stops every subcommand before it does anything: exit status 2, a
// message naming the variable, and the database untouched (not even migrated).
func TestProcessAMalformedSettingStopsEverySubcommandBeforeItStarts(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		variable, value string
		args            []string
	}{
		{"LEDGERDESK_LOG_LEVEL", "loud", []string{"serve"}},
		{"LEDGERDESK_MASTER_KEY", "not-a-key", []string{"project"}},
		{"LEDGERDESK_GO_LIVE", "3rd Feb", []string{"migrate"}},
		{"LEDGERDESK_ID_RETENTION", "forever", []string{"tickets", "list"}},
		{"LEDGERDESK_ROLE", "boss", []string{"appointments", "list", "--clinician", "clin-1"}},
		{"LEDGERDESK_HTTP_ADDR", "8080", []string{"v1", "report"}},
		{"LEDGERDESK_DEBTOR_SORT_CODE", "12345", []string{"payouts", "list"}},
		{"LEDGERDESK_EVENTSTORE", "mysql://x", []string{"projections", "status"}},
	} {
		t.Run(c.variable, func(t *testing.T) {
			t.Parallel()
			url := pgtest.NewEmptyDatabase(t)
			p := startProc(t, url, map[string]string{c.variable: c.value}, c.args...)
			select {
			case <-p.done:
			case <-time.After(procReadyDeadline):
				t.Fatalf("%v with %s=%q is still running", c.args, c.variable, c.value)
			}
			if got := p.exitStatus(); got != 2 {
				t.Errorf("exit status %d, want 2", got)
			}
			out := p.out.String()
			if !strings.Contains(out, "ledgerdesk: bad setting: "+c.variable+":") {
				t.Errorf("the message does not name %s:\n%s", c.variable, out)
			}
			if c.variable == "LEDGERDESK_MASTER_KEY" && strings.Contains(out, c.value) {
				t.Errorf("the message repeats the key's value:\n%s", out)
			}
			var tables int
			if err := procPool(t, url).QueryRow(context.Background(),
				`SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`).Scan(&tables); err != nil {
				t.Fatal(err)
			}
			if tables != 0 {
				t.Errorf("%d tables were created: the subcommand ran before the setting was checked", tables)
			}
		})
	}
}

// serve without LEDGERDESK_MASTER_KEY and without --demo refuses to start rather than keep
// personal data keys under a development key; --demo (make run) uses the key file.
func TestProcessServeRefusesToStartWithoutAMasterKey(t *testing.T) {
	t.Parallel()
	p := startProc(t, pgtest.NewDatabase(t), map[string]string{"LEDGERDESK_MASTER_KEY": "", "LEDGERDESK_DEV_KEY_FILE": filepath.Join(t.TempDir(), "k")}, "serve")
	select {
	case <-p.done:
	case <-time.After(procReadyDeadline):
		t.Fatal("serve without a master key is still running")
	}
	if got := p.exitStatus(); got == 0 {
		t.Fatal("serve without a master key exited 0")
	}
	if out := p.out.String(); !strings.Contains(out, "LEDGERDESK_MASTER_KEY is not set") || strings.Contains(out, "listening") {
		t.Fatalf("serve without a master key:\n%s", out)
	}
}
