package projector_test

import (
	"context"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"ledgerdesk/projector"

	"ledgerdesk/projections"
)

const crashChildEnv = "LEDGERDESK_CRASH_CHILD_DB"

// TestCrashChild is the projector process that the crash test kills; on its own it does
// nothing.
func TestCrashChild(t *testing.T) {
	url := os.Getenv(crashChildEnv)
	if url == "" {
		t.Skip("run by TestProjectorKilledMidStreamAppliesEveryEventExactlyOnce")
	}
	e := env{url: url, pool: newPool(t, url)}.withStore()
	r, err := projector.NewRunner(context.Background(), projector.Config{Store: e.store, DB: e.pool, Projections: []projections.Projection{&counting{name: "crashy"}}})
	if err != nil {
		t.Fatal(err)
	}
	_ = r.Run(context.Background()) // until killed
}

// A projector process killed with SIGKILL in the middle of the stream (no deferred code,
// no graceful close) and started again must end with every event applied exactly once.
func TestProjectorKilledMidStreamAppliesEveryEventExactlyOnce(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts and kills processes")
	}
	e := newEnv(t)
	ctx := context.Background()
	ids := appendEvents(t, e.store, 40, 500, "test.ok") // 20,000 events
	if err := projector.Setup(ctx, e.pool, &counting{name: "crashy"}); err != nil {
		t.Fatal(err)
	}
	start := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+e.url)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	applied := func() int64 {
		rows, _, err := countApplied(ctx, e.pool, "proj_crashy")
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	kills := 0
	for _, killAt := range []int64{2000, 8000, 14000} {
		cmd := start()
		deadline := time.Now().Add(60 * time.Second)
		for applied() < killAt && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = cmd.Wait()
		if n := applied(); n < int64(len(ids)) {
			kills++
		}
	}
	if kills == 0 {
		t.Fatal("the projector was never killed mid-stream; the test proves nothing")
	}
	cmd := start()
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	waitFor(t, "every event applied after the restarts", func() (bool, error) { return applied() == int64(len(ids)), nil })
	assertAppliedExactlyOnce(t, e.pool, "proj_crashy", ids)
	t.Logf("killed the projector %d times mid-stream; %d events each applied exactly once", kills, len(ids))
}
