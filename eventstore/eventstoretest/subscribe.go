package eventstoretest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"ledgerdesk/eventstore"
)

var subscribeCases = []testCase{
	{"CatchesUpThenDeliversLiveEventsInOrderOnce", testCatchUpThenLive},
	{"StartsAfterTheGivenPosition", testSubscribeFrom},
	{"ResumesFromTheLastPositionHandledWithNothingLostOrRepeated", testResumeFromCheckpoint},
	{"AHandlerErrorDuringCatchUpStopsIt", testHandlerErrorDuringCatchUp},
	{"AHandlerErrorWhileLiveStopsIt", testHandlerErrorWhileLive},
	{"CancellingWhileIdleReturnsTheContextError", testCancelWhileIdle},
	{"MissesNothingAppendedConcurrently", testSubscribeDuringConcurrentWrites},
}

var errStopHandling = errors.New("conformance: handler stops here")

// subscription runs Subscribe in the background and hands this sub-test's events to the
// test one at a time. The handler never touches t: it may outlive a failed test.
type subscription struct {
	f      *fixture
	events chan eventstore.RecordedEvent
	done   chan error
	cancel context.CancelFunc

	mu       sync.Mutex
	problems []string
}

// subscribe starts a subscription from from and stops it when the sub-test ends.
func (f *fixture) subscribe(from eventstore.Position) *subscription {
	ctx, cancel := context.WithCancel(f.ctx)
	s := &subscription{f: f, events: make(chan eventstore.RecordedEvent), done: make(chan error, 1), cancel: cancel}
	last := from
	go func() {
		s.done <- f.store.Subscribe(ctx, from, func(ctx context.Context, batch []eventstore.RecordedEvent) error {
			for _, e := range batch {
				if !last.Before(e.Position) {
					s.problem("event %s of %q at %s delivered after %s: not in strictly increasing position order", e.ID, e.StreamID, e.Position, last)
				}
				last = e.Position
				if !f.ours(e) {
					continue
				}
				select {
				case s.events <- e:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			return nil
		})
	}()
	f.t.Cleanup(func() { s.stop() })
	return s
}

func (s *subscription) problem(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.problems = append(s.problems, fmt.Sprintf(format, args...))
}

// take waits for the next n events of this sub-test.
func (s *subscription) take(n int) []eventstore.RecordedEvent {
	s.f.t.Helper()
	out := make([]eventstore.RecordedEvent, 0, n)
	timeout := time.After(waitTimeout)
	for len(out) < n {
		select {
		case e := <-s.events:
			out = append(out, e)
		case err := <-s.done:
			s.done <- err
			s.f.t.Fatalf("subscription ended with %v after %d of %d events", err, len(out), n)
		case <-timeout:
			s.f.t.Fatalf("subscription delivered %d of %d events in %s", len(out), n, waitTimeout)
		}
	}
	s.report()
	return out
}

// expectQuiet fails if another event of this sub-test arrives soon: a repeat.
func (s *subscription) expectQuiet() {
	s.f.t.Helper()
	select {
	case e := <-s.events:
		s.f.t.Errorf("subscription delivered an unexpected event %s of %q version %d", e.ID, e.StreamID, e.Version)
	case <-time.After(quiet):
	}
	s.report()
}

// stop cancels the subscription and returns what Subscribe returned.
func (s *subscription) stop() error {
	s.cancel()
	select {
	case err := <-s.done:
		s.done <- err
		return err
	case <-time.After(waitTimeout):
		s.f.t.Errorf("Subscribe did not return within %s of its context being cancelled", waitTimeout)
		return nil
	}
}

func (s *subscription) report() {
	s.f.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.problems {
		s.f.t.Error(p)
	}
	s.problems = nil
}

// placed names where an event should be: its stream and version.
type placed struct {
	stream  string
	version uint64
}

func assertDelivered(t *testing.T, got []eventstore.RecordedEvent, want []eventstore.EventData, places []placed) {
	t.Helper()
	for i := range got {
		assertRecorded(t, got[i], want[i], places[i].stream, places[i].version)
	}
}

func testCatchUpThenLive(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore)
	a, b := f.stream("a"), f.stream("b")
	history := newEvents(1, 5)
	f.mustAppend(a, eventstore.NoStream(), history[:3]...)
	f.mustAppend(b, eventstore.NoStream(), history[3:]...)

	sub := f.subscribe(eventstore.Start)
	got := sub.take(5)
	live := newEvents(10, 5)
	f.mustAppend(a, eventstore.Exactly(3), live[:2]...)
	f.mustAppend(b, eventstore.Exactly(2), live[2:3]...)
	f.mustAppend(a, eventstore.Exactly(5), live[3:]...)
	got = append(got, sub.take(5)...)
	sub.expectQuiet()

	assertDelivered(t, got, append(history, live...), []placed{{a, 1}, {a, 2}, {a, 3}, {b, 1}, {b, 2}, {a, 4}, {a, 5}, {b, 3}, {a, 6}, {a, 7}})
	if err := sub.stop(); !errors.Is(err, context.Canceled) {
		t.Errorf("Subscribe returned %v after its context was cancelled, want context.Canceled", err)
	}
}

func testSubscribeFrom(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore)
	stream := f.stream("from")
	early, late := newEvents(1, 3), newEvents(4, 2)
	res := f.mustAppend(stream, eventstore.NoStream(), early...)
	f.mustAppend(stream, eventstore.Exactly(3), late...)

	sub := f.subscribe(res.Position)
	got := sub.take(2)
	sub.expectQuiet()

	assertDelivered(t, got, late, []placed{{stream, 4}, {stream, 5}})
}

// testResumeFromCheckpoint stops a subscriber part-way through a batch, as a crash
// would, and starts it again from the last position it handled.
func testResumeFromCheckpoint(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore)
	a, b := f.stream("a"), f.stream("b")
	var want []eventstore.EventData
	appendTo := func(stream string, evs []eventstore.EventData) {
		f.mustAppend(stream, eventstore.Any(), evs...)
		want = append(want, evs...)
	}
	appendTo(a, newEvents(1, 3))
	appendTo(b, newEvents(4, 3))

	// First run: handle four events, then cancel mid-batch; the rest of the batch is
	// not handled and the checkpoint stays at the fourth.
	var handled []eventstore.RecordedEvent
	checkpoint := eventstore.Start
	ctx, cancel := context.WithCancel(f.ctx)
	err := runSubscribe(ctx, f, eventstore.Start, func(_ context.Context, batch []eventstore.RecordedEvent) error {
		for _, e := range batch {
			if f.ours(e) {
				if len(handled) == 4 {
					cancel()
					return ctx.Err()
				}
				handled = append(handled, e)
			}
			checkpoint = e.Position
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("first run: Subscribe returned %v, want context.Canceled", err)
	}
	if len(handled) != 4 {
		t.Fatalf("first run handled %d events, want 4", len(handled))
	}

	// Events appended while no one listens are picked up by the second run.
	appendTo(a, newEvents(10, 2))
	sub := f.subscribe(checkpoint)
	handled = append(handled, sub.take(4)...)
	appendTo(b, newEvents(20, 2))
	handled = append(handled, sub.take(2)...)
	sub.expectQuiet()

	if len(handled) != len(want) {
		t.Fatalf("handled %d events over two runs, want %d", len(handled), len(want))
	}
	for i := range handled {
		if handled[i].ID != want[i].ID {
			t.Errorf("event %d handled is %s, want %s: lost or repeated across the restart", i, handled[i].ID, want[i].ID)
		}
	}
}

func testHandlerErrorDuringCatchUp(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore)
	f.mustAppend(f.stream("a"), eventstore.NoStream(), newEvents(1, 3)...)
	calls := 0

	err := runSubscribe(f.ctx, f, eventstore.Start, func(_ context.Context, batch []eventstore.RecordedEvent) error {
		for _, e := range batch {
			if f.ours(e) {
				calls++
				return fmt.Errorf("projecting %s: %w", e.ID, errStopHandling)
			}
		}
		return nil
	})

	if !errors.Is(err, errStopHandling) {
		t.Errorf("Subscribe returned %v, want the handler's error", err)
	}
	if calls != 1 {
		t.Errorf("the failing handler was called %d times with this test's events, want 1", calls)
	}
}

func testHandlerErrorWhileLive(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore)
	done := make(chan error, 1)
	go func() {
		done <- f.store.Subscribe(f.ctx, eventstore.Start, func(_ context.Context, batch []eventstore.RecordedEvent) error {
			for _, e := range batch {
				if f.ours(e) {
					return errStopHandling
				}
			}
			return nil
		})
	}()
	// Let the subscription reach its live phase before the event exists.
	time.Sleep(quiet)
	f.mustAppend(f.stream("a"), eventstore.NoStream(), newEvent(1))

	select {
	case err := <-done:
		if !errors.Is(err, errStopHandling) {
			t.Errorf("Subscribe returned %v, want the handler's error", err)
		}
	case <-time.After(waitTimeout):
		t.Fatalf("Subscribe did not return the handler's error within %s", waitTimeout)
	}
}

func testCancelWhileIdle(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore)
	ctx, cancel := context.WithCancel(f.ctx)
	time.AfterFunc(quiet, cancel)

	err := runSubscribe(ctx, f, eventstore.Start, func(context.Context, []eventstore.RecordedEvent) error { return nil })

	if !errors.Is(err, context.Canceled) {
		t.Errorf("Subscribe returned %v after its context was cancelled, want context.Canceled", err)
	}
}

func testSubscribeDuringConcurrentWrites(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore)
	const writers, perWriter = 8, 40
	sub := f.subscribe(eventstore.Start)
	stop := make(chan struct{})
	defer close(stop)

	want := writeConcurrently(f, writers, perWriter, stop)
	got := sub.take(len(want))
	sub.expectQuiet()

	assertExactlyOnce(t, got, want)
}

// runSubscribe calls Subscribe and fails the test if it has not returned in time.
func runSubscribe(ctx context.Context, f *fixture, from eventstore.Position, handle func(context.Context, []eventstore.RecordedEvent) error) error {
	f.t.Helper()
	done := make(chan error, 1)
	go func() { done <- f.store.Subscribe(ctx, from, handle) }()
	select {
	case err := <-done:
		return err
	case <-time.After(waitTimeout):
		f.t.Fatalf("Subscribe did not return within %s", waitTimeout)
		return nil
	}
}
