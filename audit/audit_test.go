package audit_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"ledgerdesk/projector"

	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/adapters/postgres"
	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/app"
	"ledgerdesk/audit"
	"ledgerdesk/codec"
	"ledgerdesk/commands"
	"ledgerdesk/domain/appointment"
	"ledgerdesk/domain/cutover"
	"ledgerdesk/domain/decider"
	"ledgerdesk/domain/earnings"
	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/domain/payout"
	"ledgerdesk/eventstore"
	"ledgerdesk/policies/payments"
	"ledgerdesk/projections"
	pappointments "ledgerdesk/projections/appointments"
	pearnings "ledgerdesk/projections/earnings"
	pinvoices "ledgerdesk/projections/invoices"
	pjournal "ledgerdesk/projections/journal"
	ppayouts "ledgerdesk/projections/payouts"
)

func widen[E decider.Event](es []E) []decider.Event {
	out := make([]decider.Event, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

func run[S, C any, E decider.Event](t *testing.T, deps commands.Deps, agg decider.Decider[S, C, E], stream string, cmd C) {
	t.Helper()
	if _, err := commands.Execute(context.Background(), deps, agg, stream, cmd, commands.Metadata{CommandID: commands.NewCommandID(), Actor: "accounts-1"}); err != nil {
		t.Fatalf("%T: %v", cmd, err)
	}
}

// The erasure invariant: destroying a patient's key changes no money figure anywhere
// (read models rebuilt from the events, and their replays), while their words read as
// erased.
func TestErasureKeepsEveryMoneyFigure(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	store := postgres.New(pool, postgres.Config{PollInterval: 10 * time.Millisecond})
	keys, err := postgres.NewKeyStore(pool, postgres.KeyStoreConfig{})
	if err != nil {
		t.Fatal(err)
	}
	var types []decider.Event
	types = append(types, widen(appointment.EventTypes())...)
	types = append(types, widen(invoice.EventTypes())...)
	types = append(types, widen(earnings.EventTypes())...)
	types = append(types, widen(payout.EventTypes())...)
	types = append(types, widen(cutover.EventTypes())...)
	types = append(types, commands.EventTypes()...)
	c, err := codec.New(keys, types...)
	if err != nil {
		t.Fatal(err)
	}
	deps := commands.Deps{Store: store, Codec: c}

	golive, _ := ledger.ParseDate("2025-02-03")
	run(t, deps, cutover.Decider, cutover.StreamID, cutover.Command(cutover.ScheduleGoLive{Date: golive, At: time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)}))
	at := time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)
	for i, p := range []string{"patient-a", "patient-b"} {
		appt, inv := "appt-"+p, "inv-"+p
		run(t, deps, appointment.Decider, appointment.StreamID(appt), appointment.Command(appointment.Book{AppointmentID: appt, PatientID: p, ClinicianID: "clin-1", StartsAt: at, Fee: money.GBP("250.00"), At: at.Add(-time.Hour)}))
		run(t, deps, appointment.Decider, appointment.StreamID(appt), appointment.Command(appointment.Complete{AppointmentID: appt, At: at.Add(time.Hour)}))
		run(t, deps, appointment.Decider, appointment.StreamID(appt), appointment.Command(appointment.SubmitForm{AppointmentID: appt, By: "clin-1", At: at.Add(2 * time.Hour)}))
		run(t, deps, invoice.Decider, invoice.StreamID(inv), invoice.Command(invoice.Raise{InvoiceID: inv, PatientID: p, At: at}))
		run(t, deps, invoice.Decider, invoice.StreamID(inv), invoice.Command(invoice.AddBillableItem{InvoiceID: inv, ItemID: "item-" + p, ClinicianID: "clin-1", Description: "Report for " + p, Amount: money.GBP("75.50"), At: at}))
		run(t, deps, invoice.Decider, invoice.StreamID(inv), invoice.Command(invoice.Issue{InvoiceID: inv, At: at}))
		if i == 0 {
			run(t, deps, invoice.Decider, invoice.StreamID(inv), invoice.Command(invoice.RecordPayment{InvoiceID: inv, PaymentID: "pay-" + p, Amount: money.GBP("75.50"), At: at}))
		}
	}
	application, err := app.New(app.Config{Commands: deps, DB: pool})
	if err != nil {
		t.Fatal(err)
	}
	policies := payments.All(application)
	var models []projections.Projection
	for _, p := range policies {
		models = append(models, p)
	}
	models = append(models, pappointments.New(c), pearnings.New(c), pinvoices.New(c), pjournal.New(c), ppayouts.New(c))
	catchUp(t, store, pool, models)

	totals := func() string {
		t.Helper()
		var s string
		err := pool.QueryRow(ctx, `SELECT (SELECT sum(amount) FROM proj_earnings.earnings)::text || ' ' ||
			(SELECT sum(total) FROM proj_invoices.invoices)::text || ' ' || (SELECT sum(amount) FROM proj_invoices.invoice_items)::text || ' ' ||
			(SELECT count(*) FROM proj_earnings.earnings WHERE status = 'released')::text`).Scan(&s)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	before := totals()
	if before != "651.00 151.00 151.00 3" {
		t.Fatalf("totals before erasure = %q, want both fees and items accrued, and 3 released", before)
	}
	replayAll := func(when string) {
		t.Helper()
		rep, err := audit.Replay(ctx, audit.ReplayConfig{DB: pool, Store: store, Projections: models})
		if err != nil {
			t.Fatal(err)
		}
		if d := rep.Differences(); len(d) > 0 {
			t.Fatalf("replay %s: %v", when, d)
		}
		skipped := 0
		for _, p := range rep.Projections {
			if p.Skipped != "" {
				skipped++
			}
		}
		if skipped != len(policies) {
			t.Fatalf("replay %s skipped %d projections, want the %d policies", when, skipped, len(policies))
		}
	}
	replayAll("before erasure")
	replayAll("again")

	if err := c.Erase(ctx, "patient-a"); err != nil {
		t.Fatal(err)
	}
	for _, m := range models[len(policies):] {
		if err := projector.Rebuild(ctx, pool, store, m, nil); err != nil {
			t.Fatal(err)
		}
	}
	if after := totals(); after != before {
		t.Fatalf("totals after erasure = %q, before %q", after, before)
	}
	replayAll("after erasure")
	hist, err := audit.History(ctx, deps, invoice.StreamID("inv-patient-a"))
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 5 || !strings.Contains(string(hist[1].Data), codec.Erased) || !strings.Contains(string(hist[1].Data), "75.50") {
		t.Fatalf("history after erasure: %s", hist[1].Data)
	}
	other, err := audit.History(ctx, deps, invoice.StreamID("inv-patient-b"))
	if err != nil || !strings.Contains(string(other[1].Data), "Report for patient-b") {
		t.Fatalf("another patient's data must stay readable: %v %s", err, other[1].Data)
	}
}

// catchUp runs the models (policies too, whose commands add events) until none lags.
func catchUp(t *testing.T, store eventstore.Store, pool *pgxpool.Pool, models []projections.Projection) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	runner, err := projector.NewRunner(ctx, projector.Config{Store: store, DB: pool, Projections: models})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); _ = runner.Run(ctx) }()
	defer func() { cancel(); <-done }()
	var names []string
	for _, m := range models {
		names = append(names, m.Name())
	}
	quiet := 0
	for deadline := time.Now().Add(60 * time.Second); quiet < 3; time.Sleep(30 * time.Millisecond) {
		st, err := projector.StatusOf(context.Background(), pool, store, names)
		if err != nil {
			t.Fatal(err)
		}
		quiet++
		for _, s := range st {
			if s.Lag != 0 || s.Parked != 0 {
				quiet = 0
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("read models did not catch up: %+v", st)
		}
	}
}
