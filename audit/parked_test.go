package audit_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"ledgerdesk/adapters/postgres"
	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/audit"
	"ledgerdesk/codec"
	"ledgerdesk/commands"
	"ledgerdesk/domain/appointment"
	"ledgerdesk/domain/money"
	"ledgerdesk/eventstore"
	"ledgerdesk/projections"
	"ledgerdesk/projector"
)

// fussy is a read model that records every appointment event except one stream's, which
// it refuses (as a read model refuses an amount its column cannot hold) while failing is set.
type fussy struct {
	poison  string
	failing *atomic.Bool
}

func (fussy) Name() string { return "fussy" }

func (fussy) Setup(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS seen (event_id uuid PRIMARY KEY)`)
	return err
}

func (f fussy) Apply(_ context.Context, w projections.Writer, e eventstore.RecordedEvent) error {
	if e.StreamID == f.poison {
		if f.failing.Load() {
			return errors.New("numeric field overflow")
		}
		return nil
	}
	w.Exec(`INSERT INTO seen (event_id) VALUES ($1) ON CONFLICT DO NOTHING`, e.ID)
	return nil
}

// A parked event is history a read model does not show: audit replay reports it as a
// difference, whether the live projection parked it or the replay did, even when the live
// and replayed tables agree because both left it out.
func TestReplayReportsParkedEventsAsDifferences(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	store := postgres.New(pool, postgres.Config{PollInterval: 10 * time.Millisecond})
	keys, err := postgres.NewKeyStore(pool, postgres.KeyStoreConfig{})
	if err != nil {
		t.Fatal(err)
	}
	types := append(widen(appointment.EventTypes()), commands.EventTypes()...)
	c, err := codec.New(keys, types...)
	if err != nil {
		t.Fatal(err)
	}
	deps := commands.Deps{Store: store, Codec: c}
	at := time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)
	for _, id := range []string{"appt-1", "appt-2", "appt-3"} {
		run(t, deps, appointment.Decider, appointment.StreamID(id), appointment.Command(appointment.Book{AppointmentID: id, PatientID: "p-1",
			ClinicianID: "clin-1", StartsAt: at, Fee: money.GBP("250.00"), At: at.Add(-time.Hour)}))
	}
	failing := &atomic.Bool{}
	failing.Store(true)
	model := fussy{poison: appointment.StreamID("appt-2"), failing: failing}

	// Live: the projection parks appt-2's event and moves on.
	runCtx, cancel := context.WithCancel(ctx)
	runner, err := projector.NewRunner(runCtx, projector.Config{Store: store, DB: pool, Projections: []projections.Projection{model}})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); _ = runner.Run(runCtx) }()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		st, err := projector.StatusOf(ctx, pool, store, []string{model.Name()})
		if err != nil {
			t.Fatal(err)
		}
		if st[0].Lag == 0 && st[0].Parked == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the projection did not park the event: %+v", st)
		}
	}
	cancel()
	<-done

	rep, err := audit.Replay(ctx, audit.ReplayConfig{DB: pool, Store: store, Projections: []projections.Projection{model}})
	if err != nil {
		t.Fatal(err)
	}
	d := rep.Differences()
	if !strings.Contains(strings.Join(d, "\n"), "1 parked events") {
		t.Fatalf("a live parked event (tables alike: %+v) is not a difference: %q", rep.Projections[0].Tables, d)
	}
	if !strings.Contains(strings.Join(d, "\n"), "the replay parked event") {
		t.Fatalf("an event the replay parked is not a difference: %q", d)
	}

	// Replayed: the live projection applied everything, the replay parks one event.
	if _, err := pool.Exec(ctx, `DELETE FROM parked_events WHERE consumer = $1`, model.Name()); err != nil {
		t.Fatal(err)
	}
	rep, err = audit.Replay(ctx, audit.ReplayConfig{DB: pool, Store: store, Projections: []projections.Projection{model}})
	if err != nil {
		t.Fatal(err)
	}
	if d := rep.Differences(); len(d) != 1 || !strings.Contains(d[0], "the replay parked event") || !strings.Contains(d[0], "numeric field overflow") {
		t.Fatalf("differences with only a replayed parked event: %q", d)
	}
	failing.Store(false)
	rep, err = audit.Replay(ctx, audit.ReplayConfig{DB: pool, Store: store, Projections: []projections.Projection{model}})
	if err != nil {
		t.Fatal(err)
	}
	if d := rep.Differences(); len(d) != 0 {
		t.Fatalf("nothing parked, yet differences: %q", d)
	}
}
