package projector_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"ledgerdesk/eventstore"
	"ledgerdesk/projections"
	"ledgerdesk/projector"
)

// stopDeadline is the liveness bound: a runner stops within 10 s of being asked,
// whatever it is doing. It is a deadline, not a speed goal.
const stopDeadline = 10 * time.Second

func TestARunnerWithNoProjectionsIsAWiringError(t *testing.T) {
	t.Parallel()
	_, err := projector.NewRunner(context.Background(), projector.Config{})
	if !errors.Is(err, projector.ErrNoProjections) {
		t.Fatalf("NewRunner with no projections: err = %v, want ErrNoProjections", err)
	}
}

// stuck never finishes applying an event, whatever its context says: the worst a
// projection can do to a shutdown.
type stuck struct {
	started chan struct{}
	release chan struct{}
}

func (s *stuck) Name() string                               { return "stuck" }
func (s *stuck) Setup(ctx context.Context, tx pgx.Tx) error { return nil }
func (s *stuck) Apply(ctx context.Context, w projections.Writer, e eventstore.RecordedEvent) error {
	select {
	case s.started <- struct{}{}:
	default:
	}
	<-s.release
	return nil
}

func runUntilCancelled(t *testing.T, e env, ps ...projections.Projection) (cancel func(), done <-chan error) {
	t.Helper()
	r, err := projector.NewRunner(context.Background(), projector.Config{Store: e.store, DB: e.pool, Projections: ps, OwnershipPoll: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	ch := make(chan error, 1)
	go func() { ch <- r.Run(ctx) }()
	<-r.Running()
	return stop, ch
}

func awaitStop(t *testing.T, done <-chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(stopDeadline):
		t.Fatalf("Run still running %s after its context ended", stopDeadline)
		return nil
	}
}

func TestAnIdleRunnerStopsWhenItsContextEnds(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cancel, done := runUntilCancelled(t, e, &counting{name: "idle"})
	cancel()
	if err := awaitStop(t, done); err != nil {
		t.Fatalf("an idle runner stopped with %v", err)
	}
}

func TestARunnerStopsMidBatchEvenWhenAProjectionIsStuck(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	appendEvents(t, e.store, 4, 50, "test.ok")
	s := &stuck{started: make(chan struct{}, 1), release: make(chan struct{})}
	defer close(s.release)
	cancel, done := runUntilCancelled(t, e, s, &counting{name: "beside"})
	select {
	case <-s.started:
	case <-time.After(30 * time.Second):
		t.Fatal("the stuck projection never got an event")
	}
	cancel()
	// It reports that a handler did not finish, but it returns.
	_ = awaitStop(t, done)
}

// slow takes a moment per event, so a rebuild of a few thousand lasts long enough to stop.
type slow struct{ counting }

func (s *slow) Apply(ctx context.Context, w projections.Writer, e eventstore.RecordedEvent) error {
	time.Sleep(200 * time.Microsecond)
	return s.counting.Apply(ctx, w, e)
}

func TestARebuildStopsWhenItsContextEnds(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	appendEvents(t, e.store, 20, 300, "test.ok") // two batches
	p := &slow{counting: counting{name: "slowrebuild"}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	progressed := make(chan struct{}, 1)
	go func() {
		done <- projector.Rebuild(ctx, e.pool, e.store, p, func(n, total int64) {
			select {
			case progressed <- struct{}{}:
			default:
			}
		})
	}()
	select {
	case <-progressed:
	case err := <-done:
		t.Fatalf("the rebuild finished (%v) before it could be stopped; give it more events", err)
	case <-time.After(60 * time.Second):
		t.Fatal("the rebuild made no progress")
	}
	cancel()
	stopped := time.Now()
	err := awaitStop(t, done)
	t.Logf("stopped %s after the context ended", time.Since(stopped))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("a stopped rebuild returned %v, want context.Canceled", err)
	}
}

func TestARunnerStartedWithAnEndedContextReturns(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r, err := projector.NewRunner(context.Background(), projector.Config{Store: e.store, DB: e.pool, Projections: []projections.Projection{&counting{name: "late"}}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	if err := awaitStop(t, done); err != nil {
		t.Fatalf("Run with an ended context: %v", err)
	}
}
