package payments_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"ledgerdesk/projector"

	"ledgerdesk/domain/appointment"
	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/money"
	"ledgerdesk/policies/payments"
	"ledgerdesk/policies/payments/paymentstest"
	"ledgerdesk/projections"
	earningsrm "ledgerdesk/projections/earnings"
	"ledgerdesk/projections/journal"
)

// The policies run as Watermill consumers in the projectors' runner, next to the read
// models, each on its own checkpoint: a form submitted through the command layer ends as a
// released earning in the read model and a balanced posting in the journal, with nothing
// parked; and replaying the history into fresh tables gives the very same rows.
func TestPoliciesRunInTheProjectorsRunner(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx, cancel := context.WithCancel(h.Ctx)
	models := []projections.Projection{earningsrm.New(h.Codec), journal.New(h.Codec)}
	for _, p := range h.Policies {
		models = append(models, p)
	}
	runner, err := projector.NewRunner(ctx, projector.Config{Store: h.Store, DB: h.Pool, Projections: models, RetryInterval: 5 * time.Millisecond})
	h.Must(err)
	done := make(chan struct{})
	go func() { defer close(done); _ = runner.Run(ctx) }()
	stopped := false
	defer func() {
		if !stopped {
			cancel()
			<-done
		}
	}()

	bookAndComplete(t, h, "a1", "c1", "250.00", feb10)
	h.Must(h.Appointment("a1", appointment.SubmitForm{AppointmentID: "a1", By: "c1", At: feb10.Add(time.Hour)}))
	h.Must(h.Invoice("i1", invoice.Raise{InvoiceID: "i1", PatientID: "p1", At: feb10}))
	h.Must(h.Invoice("i1", invoice.AddBillableItem{InvoiceID: "i1", ItemID: "x", ClinicianID: "c1", Description: "letter", Amount: money.GBP("60"), At: feb10}))

	deadline := time.Now().Add(30 * time.Second)
	for {
		s, err := earningsrm.ForClinician(h.Ctx, h.Pool, "c1")
		h.Must(err)
		tb, err := journal.Trial(h.Ctx, h.Pool, false)
		h.Must(err)
		if len(s.Released) == 1 && len(s.Pending) == 1 && len(tb.Accounts) == 3 { // fee_expense, clinician_pending:c1, clinician_payable:c1
			if !tb.Total.IsZero() || !s.Totals.Released.Equal(money.GBP("250")) || s.Pending[0].Waiting != earningsrm.WaitingForPayment {
				t.Fatalf("read models: %+v, trial balance %+v", s, tb)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the runner did not get there: earnings %+v, journal %+v", s, tb)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Replaying the history from zero into fresh tables gives the live rows exactly.
	cancel()
	<-done
	stopped = true
	for _, c := range []struct {
		p     projections.Projection
		query string
	}{
		{journal.New(h.Codec), `SELECT posting_id, line, account, amount::text, ref FROM %s.entries ORDER BY posting_id, line`},
		{earningsrm.New(h.Codec), `SELECT earning_id, status, amount::text, coalesce(release_reason, '') FROM %s.earnings ORDER BY earning_id`},
	} {
		if _, _, err := projector.Replay(h.Ctx, h.Pool, h.Store, c.p, "replay_"+c.p.Name(), nil); err != nil {
			t.Fatal(err)
		}
		live, replayed := rowsOf(t, h, fmt.Sprintf(c.query, projections.Schema(c.p.Name()))), rowsOf(t, h, fmt.Sprintf(c.query, "replay_"+c.p.Name()))
		if !slices.Equal(live, replayed) || len(live) == 0 {
			t.Fatalf("%s: live rows %v, replayed %v", c.p.Name(), live, replayed)
		}
	}
	names := []string{payments.ConsultationEarningsName, payments.BillableItemEarningsName, payments.PayoutSettlementName}
	st, err := projector.StatusOf(h.Ctx, h.Pool, h.Store, names)
	h.Must(err)
	for _, s := range st {
		if s.Parked != 0 {
			t.Fatalf("%s parked %d events", s.Name, s.Parked)
		}
	}
}

// rowsOf reads a query's rows as text, for comparing two schemas.
func rowsOf(t *testing.T, h *paymentstest.Harness, query string) []string {
	t.Helper()
	rows, err := h.Pool.Query(h.Ctx, query)
	h.Must(err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		vals, err := rows.Values()
		h.Must(err)
		out = append(out, fmt.Sprint(vals...))
	}
	h.Must(rows.Err())
	return out
}
