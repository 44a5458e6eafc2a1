package eventstoretest_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"ledgerdesk/eventstore"
	"ledgerdesk/eventstore/eventstoretest"
	"ledgerdesk/eventstore/memstore"
)

// brokenEnv names the broken store TestBrokenStore runs the suite against.
const brokenEnv = "EVENTSTORETEST_BROKEN"

// mutants are stores each missing one promise of the port, with the sub-test of the
// suite that must notice.
var mutants = map[string]struct {
	wrap     func(eventstore.Store) eventstore.Store
	caughtBy string
}{
	"IgnoresExpectedVersion":  {func(s eventstore.Store) eventstore.Store { return ignoresExpected{s} }, "Conflict/WrongExpectationIsAConflictAndWritesNothing"},
	"ConflictWithoutDetails":  {func(s eventstore.Store) eventstore.Store { return bareConflict{s} }, "Concurrency/OneOfManyNoStreamAppendsWins"},
	"NoIdempotentRetries":     {func(s eventstore.Store) eventstore.Store { return &noRetries{Store: s} }, "Idempotency/ARetryReturnsTheFirstResultAndStoresNothing"},
	"NonAtomicBatches":        {func(s eventstore.Store) eventstore.Store { return oneByOne{s} }, "Conflict/ABatchFailingOnItsLastEventLeavesNothing"},
	"RecordedAtToTheSecond":   {func(s eventstore.Store) eventstore.Store { return secondsOnly{s} }, "Append/GivenRecordedAtIsKept"},
	"ReadAllIncludesFrom":     {func(s eventstore.Store) eventstore.Store { return inclusiveReadAll{s} }, "ReadAll/FromAPositionReturnsOnlyLaterEvents"},
	"SubscribeIncludesFrom":   {func(s eventstore.Store) eventstore.Store { return inclusiveSubscribe{s} }, "Subscribe/ResumesFromTheLastPositionHandledWithNothingLostOrRepeated"},
	"SubscribeNeverGoesLive":  {func(s eventstore.Store) eventstore.Store { return catchUpOnly{s} }, "Subscribe/CatchesUpThenDeliversLiveEventsInOrderOnce"},
	"SubscribeSwallowsErrors": {func(s eventstore.Store) eventstore.Store { return swallowsErrors{s} }, "Subscribe/AHandlerErrorDuringCatchUpStopsIt"},
}

// TestBrokenStore is the suite against one mutant; TestSuiteCatchesBrokenStores runs it
// in a child process, where its failure is the expected outcome.
func TestBrokenStore(t *testing.T) {
	name := os.Getenv(brokenEnv)
	if name == "" {
		t.Skip("run by TestSuiteCatchesBrokenStores")
	}
	m, ok := mutants[name]
	if !ok {
		t.Fatalf("no mutant %q", name)
	}
	eventstoretest.Run(t, func(t *testing.T) eventstore.Store { return m.wrap(memstore.New()) })
}

// TestSuiteCatchesBrokenStores proves the suite can fail: a store missing any one of the
// promises it checks does not pass.
func TestSuiteCatchesBrokenStores(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite once per mutant, some waiting out timeouts")
	}
	if os.Getenv(brokenEnv) != "" {
		t.Skip("inside a mutant run")
	}
	for name, m := range mutants {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestBrokenStore$", "-test.count=1", "-test.v")
			cmd.Env = append(os.Environ(), brokenEnv+"="+name)
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			if !errors.As(err, &exit) {
				t.Fatalf("the suite passed a store that %s (err %v)", name, err)
			}
			if want := "--- FAIL: TestBrokenStore/" + m.caughtBy + " "; !strings.Contains(string(out), want) {
				t.Errorf("the suite failed the mutant, but not in %s:\n%s", m.caughtBy, failures(out))
			}
		})
	}
}

func failures(out []byte) string {
	var b strings.Builder
	for line := range strings.Lines(string(out)) {
		if strings.Contains(line, "--- FAIL") || strings.Contains(line, "panic") {
			b.WriteString(line)
		}
	}
	return b.String()
}

type ignoresExpected struct{ eventstore.Store }

func (s ignoresExpected) Append(ctx context.Context, stream string, _ eventstore.ExpectedVersion, evs ...eventstore.EventData) (eventstore.AppendResult, error) {
	return s.Store.Append(ctx, stream, eventstore.Any(), evs...)
}

type bareConflict struct{ eventstore.Store }

func (s bareConflict) Append(ctx context.Context, stream string, exp eventstore.ExpectedVersion, evs ...eventstore.EventData) (eventstore.AppendResult, error) {
	res, err := s.Store.Append(ctx, stream, exp, evs...)
	if errors.Is(err, eventstore.ErrConflict) {
		return res, fmt.Errorf("unique violation: %w", eventstore.ErrConflict)
	}
	return res, err
}

type noRetries struct {
	eventstore.Store
	mu   sync.Mutex
	seen map[[16]byte]bool
}

func (s *noRetries) Append(ctx context.Context, stream string, exp eventstore.ExpectedVersion, evs ...eventstore.EventData) (eventstore.AppendResult, error) {
	s.mu.Lock()
	if s.seen == nil {
		s.seen = map[[16]byte]bool{}
	}
	for _, e := range evs {
		if s.seen[e.ID] {
			s.mu.Unlock()
			return eventstore.AppendResult{}, eventstore.ErrDuplicateEventID
		}
	}
	for _, e := range evs {
		s.seen[e.ID] = true
	}
	s.mu.Unlock()
	return s.Store.Append(ctx, stream, exp, evs...)
}

type oneByOne struct{ eventstore.Store }

func (s oneByOne) Append(ctx context.Context, stream string, exp eventstore.ExpectedVersion, evs ...eventstore.EventData) (eventstore.AppendResult, error) {
	var res eventstore.AppendResult
	for i, e := range evs {
		var err error
		if res, err = s.Store.Append(ctx, stream, exp, e); err != nil {
			return res, err
		}
		if i == 0 {
			exp = eventstore.Any()
		}
	}
	return res, nil
}

// secondsOnly keeps a given RecordedAt to the second, as a timestamp(0) column would.
type secondsOnly struct{ eventstore.Store }

func (s secondsOnly) Append(ctx context.Context, stream string, exp eventstore.ExpectedVersion, evs ...eventstore.EventData) (eventstore.AppendResult, error) {
	evs = append([]eventstore.EventData(nil), evs...)
	for i := range evs {
		evs[i].RecordedAt = evs[i].RecordedAt.Truncate(time.Second)
	}
	return s.Store.Append(ctx, stream, exp, evs...)
}

// before is the position just before p, so a read "after" it includes p.
func before(p eventstore.Position) eventstore.Position {
	if p.Prepare > 0 {
		p.Prepare--
	}
	return p
}

type inclusiveReadAll struct{ eventstore.Store }

func (s inclusiveReadAll) ReadAll(ctx context.Context, from eventstore.Position, limit int) ([]eventstore.RecordedEvent, error) {
	return s.Store.ReadAll(ctx, before(from), limit)
}

type inclusiveSubscribe struct{ eventstore.Store }

func (s inclusiveSubscribe) Subscribe(ctx context.Context, from eventstore.Position, h func(context.Context, []eventstore.RecordedEvent) error) error {
	return s.Store.Subscribe(ctx, before(from), h)
}

type catchUpOnly struct{ eventstore.Store }

func (s catchUpOnly) Subscribe(ctx context.Context, from eventstore.Position, h func(context.Context, []eventstore.RecordedEvent) error) error {
	for {
		batch, err := s.ReadAll(ctx, from, 100)
		if err != nil {
			return err
		}
		if len(batch) == 0 {
			<-ctx.Done()
			return ctx.Err()
		}
		if err := h(ctx, batch); err != nil {
			return err
		}
		from = batch[len(batch)-1].Position
	}
}

type swallowsErrors struct{ eventstore.Store }

func (s swallowsErrors) Subscribe(ctx context.Context, from eventstore.Position, h func(context.Context, []eventstore.RecordedEvent) error) error {
	return s.Store.Subscribe(ctx, from, func(ctx context.Context, b []eventstore.RecordedEvent) error {
		_ = h(ctx, b)
		return nil
	})
}
