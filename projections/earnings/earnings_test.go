package earnings_test

import (
	"io"
	"testing"
	"time"

	"ledgerdesk/adapters/pain001"
	"ledgerdesk/commands/payouts"
	"ledgerdesk/domain/appointment"
	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/policies/payments/paymentstest"
	"ledgerdesk/projections/earnings"
)

var (
	goLive = ledger.Date{Year: 2025, Month: time.February, Day: 3}
	feb10  = time.Date(2025, time.February, 10, 10, 0, 0, 0, time.UTC)
	jan20  = time.Date(2025, time.January, 20, 10, 0, 0, 0, time.UTC)
)

var practice = payouts.Party{Name: "Northbridge Psychiatry Ltd", SortCode: "200000", AccountNumber: "55779911"}

// earningsInPayout reads, through the read model, who has earnings on run1.
func earningsInPayout(h *paymentstest.Harness) ([]string, error) {
	h.Project(earnings.New(h.Codec))
	return earnings.InPayout(h.Ctx, h.Pool, "run1")
}

func consultation(h *paymentstest.Harness, id, fee string, worked time.Time, form bool) {
	h.Must(h.Appointment(id, appointment.Book{AppointmentID: id, PatientID: "p1", ClinicianID: "c1", StartsAt: worked, Fee: money.GBP(fee), At: worked}))
	h.Must(h.Appointment(id, appointment.Complete{AppointmentID: id, At: worked}))
	if form {
		h.Must(h.Appointment(id, appointment.SubmitForm{AppointmentID: id, By: "c1", At: worked.Add(time.Hour)}))
	}
}

func item(h *paymentstest.Harness, inv, amount string, issue bool) {
	h.Must(h.Invoice(inv, invoice.Raise{InvoiceID: inv, PatientID: "p1", At: feb10}))
	h.Must(h.Invoice(inv, invoice.AddBillableItem{InvoiceID: inv, ItemID: "i", ClinicianID: "c1", Description: "letter", Amount: money.GBP(amount), At: feb10}))
	if issue {
		h.Must(h.Invoice(inv, invoice.Issue{InvoiceID: inv, At: feb10}))
	}
}

// A clinician asking "where are my pending payments?" gets every item with the reason it
// waits, what was released, what is on a run and what was paid.
func TestEachPendingItemSaysWhatItWaitsFor(t *testing.T) {
	t.Parallel()
	h := paymentstest.New(t)
	h.GoLive(goLive)
	h.Clinician("c1", "Dr Aisha Okafor", "40-12-76", "12345678")
	consultation(h, "no-form", "100.00", feb10, false)
	consultation(h, "v1", "90.00", jan20, true)
	consultation(h, "released", "250.00", feb10, true)
	consultation(h, "paid", "80.00", feb10, true)
	item(h, "draft", "10.00", false)
	item(h, "unpaid", "60.00", true)
	h.Must(h.Invoice("unpaid", invoice.RecordPayment{InvoiceID: "unpaid", PaymentID: "x", Amount: money.GBP("20"), At: feb10}))
	item(h, "voided", "30.00", true)
	h.Must(h.Invoice("voided", invoice.Void{InvoiceID: "voided", Reason: "mistake", At: feb10}))
	h.Settle()
	// The two released consultations are paid by a run; one more is released after it.
	_, err := payouts.Run(h.Ctx, h.Deps, nil, payouts.RunRequest{PayoutID: "run1", Cutoff: ledger.LondonDate(feb10), RequestedBy: "clerk", At: feb10.Add(48 * time.Hour), Clinicians: []string{"c1"}})
	h.Must(err)
	in, err := earningsInPayout(h)
	h.Must(err)
	if len(in) != 1 {
		t.Fatalf("clinicians in run1 = %v, want c1", in)
	}
	_, err = payouts.Export(h.Ctx, h.Deps, pain001.Writer{}, payouts.ExportRequest{PayoutID: "run1", Debtor: practice, By: "clerk", At: feb10.Add(48 * time.Hour)}, io.Discard)
	h.Must(err)
	h.Must(payouts.MarkSubmitted(h.Ctx, h.Deps, "run1", feb10.Add(49*time.Hour), paymentstest.Meta()))
	h.Must(payouts.MarkSettled(h.Ctx, h.Deps, "run1", feb10.Add(72*time.Hour), paymentstest.Meta()))
	consultation(h, "after-run", "45.00", feb10, true)
	h.Settle()
	h.Project(earnings.New(h.Codec))

	s, err := earnings.ForClinician(h.Ctx, h.Pool, "c1")
	h.Must(err)
	waits := map[string]string{}
	for _, it := range append(s.Pending, s.Voided...) {
		key := it.AppointmentID + it.InvoiceID
		waits[key] = it.Waiting
		if it.Why == "" {
			t.Errorf("pending %s has no explanation", key)
		}
	}
	want := map[string]string{
		"no-form": earnings.WaitingForForm, "v1": earnings.BelongsToV1, "draft": earnings.WaitingForPayment,
		"unpaid": earnings.WaitingForPayment, "voided": earnings.InvoiceVoided,
	}
	if len(waits) != len(want) {
		t.Fatalf("pending = %v, want %v", waits, want)
	}
	for k, v := range want {
		if waits[k] != v {
			t.Errorf("%s waits for %q, want %q", k, waits[k], v)
		}
	}
	if len(s.Paid) != 2 || len(s.InPayout) != 0 || len(s.Released) != 1 || s.Released[0].AppointmentID != "after-run" || s.Paid[0].PaidAt == nil || s.Paid[0].PayoutID != "run1" {
		t.Fatalf("paid %+v, in payout %+v, released %+v; want the two released before the run paid by it and after-run released", s.Paid, s.InPayout, s.Released)
	}
	// The voided invoice's £30 will never be paid: shown apart, not pending.
	if !s.Totals.Pending.Equal(money.GBP("170.00")) || !s.Totals.Voided.Equal(money.GBP("30.00")) || len(s.Voided) != 1 || !s.Totals.V1.Equal(money.GBP("90.00")) ||
		!s.Totals.Paid.Equal(money.GBP("330.00")) || !s.Totals.Released.Equal(money.GBP("45.00")) {
		t.Fatalf("totals = %+v", s.Totals)
	}
	for _, it := range s.Pending {
		if it.InvoiceID == "unpaid" && it.Why != "the patient's invoice is not paid in full (£40.00 outstanding)" {
			t.Errorf("unpaid invoice explanation = %q", it.Why)
		}
	}
	cl, err := earnings.Clinicians(h.Ctx, h.Pool)
	h.Must(err)
	if len(cl) != 1 || cl[0] != "c1" {
		t.Fatalf("clinicians = %v", cl)
	}
	if empty, err := earnings.ForClinician(h.Ctx, h.Pool, "nobody"); err != nil || len(empty.Pending)+len(empty.Paid) != 0 || !empty.Totals.Paid.IsZero() {
		t.Fatalf("unknown clinician: %+v, %v", empty, err)
	}
}

// The read model is what the payout run asks whom to look at.
var _ payouts.EarningsFinder = earnings.Finder{}
