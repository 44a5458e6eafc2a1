package v1import_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"ledgerdesk/codec"
	"ledgerdesk/commands"
	"ledgerdesk/commands/v1import"
	"ledgerdesk/domain/cutover"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/eventstore"
	"ledgerdesk/eventstore/memstore"
)

func freshDeps(t *testing.T) (commands.Deps, eventstore.Store) {
	t.Helper()
	store := memstore.New()
	return commands.Deps{Store: store, Codec: newCodec(t, codec.NewMemoryKeyStore())}, store
}

func cutoverTypes(t *testing.T, store eventstore.Store) []string {
	t.Helper()
	evs, err := store.ReadStream(context.Background(), cutover.StreamID, 1, 100)
	if err != nil {
		t.Fatal(err)
	}
	return eventTypesIn(evs)
}

func TestTheGoLiveDateIsRecordedOnceAndReadFromTheHistory(t *testing.T) {
	t.Parallel()
	deps, store := freshDeps(t)
	ctx := context.Background()
	jan := time.Date(2025, 1, 10, 9, 0, 0, 0, ledger.London)
	st, err := v1import.EnsureGoLive(ctx, deps, goLive, jan, "system")
	if err != nil || !st.Scheduled || st.Cutover || st.GoLive != goLive {
		t.Fatalf("first start: %+v, %v", st, err)
	}
	st, err = v1import.EnsureGoLive(ctx, deps, goLive, jan.Add(time.Hour), "system")
	if err != nil || st.Scheduled || st.Rescheduled || st.CutoverRecorded {
		t.Fatalf("second start: %+v, %v", st, err)
	}
	if got, err := v1import.GoLive(ctx, deps); err != nil || got != goLive {
		t.Fatalf("GoLive = %s, %v", got, err)
	}
	if got := cutoverTypes(t, store); len(got) != 1 {
		t.Fatalf("cutover stream = %v", got)
	}
}

func TestTheGoLiveDateMayMoveOnlyBeforeItPasses(t *testing.T) {
	t.Parallel()
	deps, store := freshDeps(t)
	ctx := context.Background()
	jan := time.Date(2025, 1, 10, 9, 0, 0, 0, ledger.London)
	later := ledger.Date{Year: 2025, Month: time.February, Day: 10}
	if _, err := v1import.EnsureGoLive(ctx, deps, goLive, jan, "system"); err != nil {
		t.Fatal(err)
	}
	st, err := v1import.EnsureGoLive(ctx, deps, later, jan, "system")
	if err != nil || !st.Rescheduled || st.GoLive != later {
		t.Fatalf("moving a future date: %+v, %v", st, err)
	}
	// Go-live day begins at midnight in London: from then on the date is fixed.
	feb10 := later.StartInLondon()
	st, err = v1import.EnsureGoLive(ctx, deps, later, feb10, "system")
	if err != nil || !st.CutoverRecorded || !st.Cutover {
		t.Fatalf("on go-live day: %+v, %v", st, err)
	}
	if _, err := v1import.EnsureGoLive(ctx, deps, goLive, feb10.Add(time.Hour), "system"); !errors.Is(err, cutover.ErrGoLivePassed) {
		t.Fatalf("moving a date that has passed: %v", err)
	}
	st, err = v1import.EnsureGoLive(ctx, deps, later, feb10.Add(24*time.Hour), "system")
	if err != nil || st.CutoverRecorded || !st.Cutover {
		t.Fatalf("the cutover is recorded once: %+v, %v", st, err)
	}
	want := []string{"cutover.go_live_scheduled.v1", "cutover.go_live_rescheduled.v1", "cutover.cutover_happened.v1"}
	if got := cutoverTypes(t, store); len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("cutover stream = %v", got)
	}
}

func TestAGoLiveDateAlreadyPassedAtFirstStartIsRecordedWithItsCutover(t *testing.T) {
	t.Parallel()
	deps, store := freshDeps(t)
	st, err := v1import.EnsureGoLive(context.Background(), deps, goLive, feb20, "system")
	if err != nil || !st.Scheduled || !st.CutoverRecorded {
		t.Fatalf("%+v, %v", st, err)
	}
	if got := cutoverTypes(t, store); len(got) != 2 {
		t.Fatalf("cutover stream = %v", got)
	}
}
