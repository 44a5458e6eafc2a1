package appointments_test

import (
	"context"
	"testing"
	"time"

	"ledgerdesk/projector"

	"ledgerdesk/adapters/postgres"
	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/codec"
	"ledgerdesk/commands"
	"ledgerdesk/domain/appointment"
	"ledgerdesk/domain/decider"
	"ledgerdesk/domain/money"
	"ledgerdesk/projections"
	"ledgerdesk/projections/appointments"
)

// The whole pipe: a command is decided and appended, Watermill carries its events to the
// projection, a query reads the row, and the checkpoint has counted each event once.
func TestACommandReachesTheReadModelThroughTheWholePipe(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	store := postgres.New(pool, postgres.Config{PollInterval: 10 * time.Millisecond})
	keys, err := codec.NewMemoryKeyStore(), error(nil)
	if err != nil {
		t.Fatal(err)
	}
	var types []decider.Event
	for _, e := range appointment.EventTypes() {
		types = append(types, e)
	}
	c, err := codec.New(keys, types...)
	if err != nil {
		t.Fatal(err)
	}
	deps := commands.Deps{Store: store, Codec: c}
	runner, err := projector.NewRunner(ctx, projector.Config{Store: store, DB: pool, Projections: []projections.Projection{appointments.New(c)}})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = runner.Run(runCtx) }()
	defer func() { cancel(); <-done }()

	start := time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)
	run := func(cmd appointment.Command) {
		t.Helper()
		meta := commands.Metadata{CommandID: commands.NewCommandID(), Actor: "clinician-1", CorrelationID: commands.NewCommandID()}
		if _, err := commands.Execute(ctx, deps, appointment.Decider, appointment.StreamID("a1"), cmd, meta); err != nil {
			t.Fatal(err)
		}
	}
	run(appointment.Book{AppointmentID: "a1", PatientID: "p1", ClinicianID: "c1", StartsAt: start, Fee: money.GBP("250.00"), At: start.Add(-72 * time.Hour)})
	run(appointment.Complete{AppointmentID: "a1", At: start.Add(time.Hour)})
	run(appointment.SubmitForm{AppointmentID: "a1", By: "c1", At: start.Add(2 * time.Hour)})

	var rows []appointments.Row
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if rows, err = appointments.ForClinician(ctx, pool, "c1"); err != nil {
			t.Fatal(err)
		}
		if len(rows) == 1 && rows[0].Status == "form_submitted" {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if len(rows) != 1 || rows[0].Status != "form_submitted" || rows[0].Fee != "250.00" || rows[0].Version != 3 {
		t.Fatalf("read model = %+v, want one appointment with its form submitted, fee 250.00, at version 3", rows)
	}
	st, err := projector.StatusOf(ctx, pool, store, []string{appointments.Name})
	if err != nil {
		t.Fatal(err)
	}
	if st[0].EventsSeen != 3 || st[0].Lag != 0 {
		t.Fatalf("checkpoint = %+v, want exactly 3 events seen and no lag", st[0])
	}
}
