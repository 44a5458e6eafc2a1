package commands_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"ledgerdesk/codec"

	"github.com/google/uuid"

	"ledgerdesk/commands"
	"ledgerdesk/eventstore"
)

func TestExecuteAppendsWhatTheDeciderDecided(t *testing.T) {
	deps, store := memDeps(t)
	res, err := commands.Execute(ctx, deps, counter, "counter-1", counterCommand(Add{CounterID: "1", By: 2}), meta())
	if err != nil {
		t.Fatal(err)
	}
	if res.Replayed || res.Version != 1 || len(res.Events) != 1 || res.Events[0].(Added).Total != 2 {
		t.Fatalf("result %+v", res)
	}
	res, err = commands.Execute(ctx, deps, counter, "counter-1", counterCommand(Add{CounterID: "1", By: 3}), meta())
	if err != nil {
		t.Fatal(err)
	}
	if res.Version != 2 || res.Events[0].(Added).Total != 5 {
		t.Fatalf("the second command was not decided against the first one's state: %+v", res)
	}
	recs := readAll(t, store, "counter-1")
	if len(recs) != 2 || res.Position != recs[1].Position {
		t.Fatalf("stream holds %d events; result position %v, last event at %v", len(recs), res.Position, recs[len(recs)-1].Position)
	}
}

func TestARetriedCommandIsAppliedOnce(t *testing.T) {
	deps, store := memDeps(t)
	m := meta()
	first, err := commands.Execute(ctx, deps, counter, "counter-1", counterCommand(Add{CounterID: "1", By: 2}), m)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := commands.Execute(ctx, deps, counter, "counter-1", counterCommand(Add{CounterID: "1", By: 5}), meta()); err != nil {
		t.Fatal(err)
	}
	again, err := commands.Execute(ctx, deps, counter, "counter-1", counterCommand(Add{CounterID: "1", By: 2}), m)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Replayed || again.Version != first.Version || again.Position != first.Position {
		t.Fatalf("retry: %+v, want a replay of %+v", again, first)
	}
	if len(again.Events) != 1 || again.Events[0].(Added).Total != 2 {
		t.Fatalf("a replay should return the events recorded then: %+v", again.Events)
	}
	if n := len(readAll(t, store, "counter-1")); n != 2 {
		t.Fatalf("stream holds %d events, want 2", n)
	}
}

func TestTheSameCommandRacingWithItselfLandsOnce(t *testing.T) {
	deps, store := memDeps(t)
	m := meta()
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			_, errs[i] = commands.Execute(ctx, deps, counter, "counter-1", counterCommand(Add{CounterID: "1", By: 1, Note: "same note", OwnerID: "owner-1"}), m)
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("writer %d: %v", i, err)
		}
	}
	if got := len(readAll(t, store, "counter-1")); got != 1 {
		t.Fatalf("%d copies of one command in the stream", got)
	}
}

// Each writer's Added says the total it reached; exactly-once means the totals are 1..n,
// each once, and the counter ends at n.
func TestConcurrentCommandsOnOneStreamAllLandExactlyOnce(t *testing.T) {
	deps, store := memDeps(t)
	assertConcurrentIncrementsLandOnce(t, deps, store, commands.DefaultMaxAttempts)
}

func assertConcurrentIncrementsLandOnce(t *testing.T, deps commands.Deps, store eventstore.Store, n int) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			_, errs[i] = commands.Execute(ctx, deps, counter, "counter-1", counterCommand(Add{CounterID: "1", By: 1}), meta())
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("writer %d: %v", i, err)
		}
	}
	var totals []int
	for _, r := range readAll(t, store, "counter-1") {
		e, err := deps.Codec.Decode(ctx, r.Type, r.Data)
		if err != nil {
			t.Fatal(err)
		}
		totals = append(totals, e.(Added).Total)
	}
	want := make([]int, n)
	for i := range want {
		want[i] = i + 1
	}
	if !slices.Equal(totals, want) {
		t.Fatalf("totals %v, want %v", totals, want)
	}
	s, v, err := commands.Load(ctx, deps, counter, "counter-1")
	if err != nil || s.Total != n || v != uint64(n) {
		t.Fatalf("final state %+v at version %d (%v), want total %d", s, v, err, n)
	}
}

func TestARejectedCommandAppendsNothing(t *testing.T) {
	deps, store := memDeps(t)
	if _, err := commands.Execute(ctx, deps, counter, "counter-1", counterCommand(Add{CounterID: "1", By: 1}), meta()); err != nil {
		t.Fatal(err)
	}
	res, err := commands.Execute(ctx, deps, counter, "counter-1", counterCommand(Add{CounterID: "1", By: -4}), meta())
	if !errors.Is(err, errNotPositive) {
		t.Fatalf("got %v, want the decider's own error", err)
	}
	if len(res.Events) != 0 {
		t.Fatalf("a rejected command reported events %v", res.Events)
	}
	if n := len(readAll(t, store, "counter-1")); n != 1 {
		t.Fatalf("stream holds %d events after a rejection, want 1", n)
	}
}

func TestACommandThatDecidesNothingAppendsNothing(t *testing.T) {
	deps, store := memDeps(t)
	if _, err := commands.Execute(ctx, deps, counter, "counter-1", counterCommand(Add{CounterID: "1", By: 1}), meta()); err != nil {
		t.Fatal(err)
	}
	res, err := commands.Execute(ctx, deps, counter, "counter-1", counterCommand(Look{}), meta())
	if err != nil || res.Version != 1 || len(res.Events) != 0 || res.Replayed {
		t.Fatalf("got %+v, %v", res, err)
	}
	if n := len(readAll(t, store, "counter-1")); n != 1 {
		t.Fatalf("stream holds %d events, want 1", n)
	}
}

func TestEventsCarryTheCommandsMetadataAndDerivedIDs(t *testing.T) {
	deps, store := memDeps(t)
	m := meta()
	m.CorrelationID = commands.NewCommandID()
	if _, err := commands.Execute(ctx, deps, counter, "counter-1", counterCommand(AddTwice{CounterID: "1"}), m); err != nil {
		t.Fatal(err)
	}
	recs := readAll(t, store, "counter-1")
	if len(recs) != 2 {
		t.Fatalf("%d events", len(recs))
	}
	for i, r := range recs {
		if want := commands.EventID(m.CommandID, "counter-1", i); r.ID != want {
			t.Errorf("event %d has id %s, want %s", i, r.ID, want)
		}
		got, err := codec.ParseMetadata(r.Metadata)
		if err != nil {
			t.Fatal(err)
		}
		want := codec.EventMetadata{CommandID: m.CommandID, CorrelationID: m.CorrelationID, CausationID: m.CommandID, Actor: "acc-clerk", Command: "commands_test.AddTwice", Schema: 1}
		if got != want {
			t.Errorf("event %d metadata %+v, want %+v", i, got, want)
		}
		for _, key := range []string{`"command_id"`, `"correlation_id"`, `"causation_id"`, `"actor"`, `"schema":1`} {
			if !strings.Contains(string(r.Metadata), key) {
				t.Errorf("metadata %s lacks %s", r.Metadata, key)
			}
		}
	}
}

func TestPersonalDataGoesThroughTheCodec(t *testing.T) {
	deps, store := memDeps(t)
	res, err := commands.Execute(ctx, deps, counter, "counter-1", counterCommand(Add{CounterID: "1", By: 1, OwnerID: "owner-1", Note: "Mr Plaintext rang about his fee"}), meta())
	if err != nil {
		t.Fatal(err)
	}
	if res.Events[0].(Added).Note != "Mr Plaintext rang about his fee" {
		t.Fatalf("result events should be the decided ones: %+v", res.Events)
	}
	r := readAll(t, store, "counter-1")[0]
	if strings.Contains(string(r.Data), "Plaintext") {
		t.Fatalf("personal data stored in the clear: %s", r.Data)
	}
}

func TestInvalidMetadataIsRefusedBeforeAnythingIsRead(t *testing.T) {
	v4 := uuid.New()
	cases := map[string]commands.Metadata{
		"no command id":      {Actor: "a"},
		"a v4 command id":    {CommandID: v4, Actor: "a"},
		"nobody responsible": {CommandID: commands.NewCommandID()},
	}
	for name, m := range cases {
		t.Run(name, func(t *testing.T) {
			deps, store := memDeps(t)
			_, err := commands.Execute(ctx, deps, counter, "counter-1", counterCommand(Add{CounterID: "1", By: 1}), m)
			if !errors.Is(err, commands.ErrInvalidMetadata) {
				t.Fatalf("got %v, want ErrInvalidMetadata", err)
			}
			if n := len(readAll(t, store, "counter-1")); n != 0 {
				t.Fatalf("%d events appended", n)
			}
		})
	}
	deps, _ := memDeps(t)
	if _, err := commands.Execute(ctx, deps, counter, "", counterCommand(Look{}), meta()); !errors.Is(err, eventstore.ErrInvalidAppend) {
		t.Fatalf("empty stream: %v", err)
	}
	if _, err := commands.Execute(ctx, commands.Deps{}, counter, "counter-1", counterCommand(Look{}), meta()); err == nil {
		t.Fatal("no store and no codec, yet no error")
	}
}

// conflictingStore fails every append with a version conflict, as a stream under
// relentless contention would.
type conflictingStore struct {
	eventstore.Store
	mu      sync.Mutex
	appends int
}

func (s *conflictingStore) Append(_ context.Context, stream string, expected eventstore.ExpectedVersion, _ ...eventstore.EventData) (eventstore.AppendResult, error) {
	s.mu.Lock()
	s.appends++
	s.mu.Unlock()
	return eventstore.AppendResult{}, &eventstore.ConflictError{Stream: stream, Expected: expected, Actual: 99}
}

func TestContentionGivesUpAfterTheAttemptLimit(t *testing.T) {
	deps, store := memDeps(t)
	cs := &conflictingStore{Store: store}
	deps.Store, deps.MaxAttempts = cs, 4
	_, err := commands.Execute(ctx, deps, counter, "counter-1", counterCommand(Add{CounterID: "1", By: 1}), meta())
	if !errors.Is(err, commands.ErrContended) || !errors.Is(err, eventstore.ErrConflict) {
		t.Fatalf("got %v, want ErrContended wrapping the conflict", err)
	}
	if cs.appends != 4 {
		t.Fatalf("%d appends, want exactly MaxAttempts = 4", cs.appends)
	}
}

func TestContentionStopsWhenTheContextEnds(t *testing.T) {
	deps, store := memDeps(t)
	deps.Store, deps.MaxAttempts = &conflictingStore{Store: store}, 1_000_000
	c, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := commands.Execute(c, deps, counter, "counter-1", counterCommand(Add{CounterID: "1", By: 1}), meta()); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

func TestACommandIDUsedForSomethingElseIsReported(t *testing.T) {
	deps, store := memDeps(t)
	m := meta()
	// Something else already holds the id this command's first event would get.
	_, err := store.Append(ctx, "elsewhere-1", eventstore.NoStream(), eventstore.EventData{
		ID: commands.EventID(m.CommandID, "counter-1", 0), Type: "counter.added.v1", Data: []byte(`{"counter_id":"x","total":1}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = commands.Execute(ctx, deps, counter, "counter-1", counterCommand(Add{CounterID: "1", By: 1}), m)
	if !errors.Is(err, commands.ErrCommandIDReused) || !errors.Is(err, eventstore.ErrDuplicateEventID) {
		t.Fatalf("got %v, want ErrCommandIDReused", err)
	}
}

func TestAStreamWithAnotherAggregatesEventIsRefused(t *testing.T) {
	deps, _ := memDeps(t)
	if err := commands.Claim(ctx, deps, "counter-1", "owner-1", meta()); err != nil {
		t.Fatal(err)
	}
	_, err := commands.Execute(ctx, deps, counter, "counter-1", counterCommand(Add{CounterID: "1", By: 1}), meta())
	if !errors.Is(err, commands.ErrForeignEvent) {
		t.Fatalf("got %v, want ErrForeignEvent", err)
	}
}

func TestAnUnknownEventInTheStreamIsAnError(t *testing.T) {
	deps, store := memDeps(t)
	if _, err := store.Append(ctx, "counter-1", eventstore.NoStream(), eventstore.EventData{ID: uuid.Must(uuid.NewV7()), Type: "counter.exploded.v1", Data: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	_, err := commands.Execute(ctx, deps, counter, "counter-1", counterCommand(Add{CounterID: "1", By: 1}), meta())
	if !strings.Contains(err.Error(), "counter.exploded.v1") {
		t.Fatalf("got %v, want an error naming the unknown type", err)
	}
}
