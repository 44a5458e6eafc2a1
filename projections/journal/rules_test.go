package journal_test

import (
	"strings"
	"testing"

	"ledgerdesk/domain/earnings"
	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/eventstore"
	"ledgerdesk/projections/journal"
	"ledgerdesk/projections/projectiontest"
)

// posted is what rec posted, one "account amount" per entry, in order.
func posted(t *testing.T, s *projectiontest.Spec, rec eventstore.RecordedEvent) string {
	t.Helper()
	lines, err := journal.Entries(s.Ctx, s.DB, journal.Filter{Limit: 10000})
	s.Must(err)
	var out []string
	for _, l := range lines {
		if l.EventID == rec.ID {
			out = append(out, l.Account+" "+l.Amount.String())
		}
	}
	return strings.Join(out, "; ")
}

func bal(t *testing.T, s *projectiontest.Spec, account string) string {
	t.Helper()
	b, err := journal.AccountBalance(s.Ctx, s.DB, account)
	s.Must(err)
	return b.String()
}

func last(recs []eventstore.RecordedEvent) eventstore.RecordedEvent { return recs[len(recs)-1] }

func expectPosted(t *testing.T, s *projectiontest.Spec, rec eventstore.RecordedEvent, want string) {
	t.Helper()
	if got := posted(t, s, rec); got != want {
		t.Fatalf("%s posted\n  %s\nwant\n  %s", rec.Type, got, want)
	}
	tb, err := journal.Trial(s.Ctx, s.DB, true)
	s.Must(err)
	if !tb.Total.IsZero() {
		t.Fatalf("trial balance %+v is not zero", tb)
	}
}

var (
	a1   = earnings.Consultation("a1")
	item = earnings.BillableItem("inv1", "i1")
)

func accrual(id string, src earnings.Source, amount string, l ledger.Ledger) earnings.Accrued {
	return earnings.Accrued{EarningID: id, ClinicianID: "c1", Source: src, Amount: money.GBP(amount), WorkDate: ledger.LondonDate(feb10), GoLive: goLive, Ledger: l, AccruedAt: feb10}
}

func release(id string, src earnings.Source, amount string) earnings.Released {
	return earnings.Released{EarningID: id, ClinicianID: "c1", Source: src, Amount: money.GBP(amount), Reason: earnings.ReleaseFormSubmitted, ReleasedAt: feb10}
}

func included(amount string) earnings.IncludedInPayout {
	return earnings.IncludedInPayout{PayoutID: "run1", ClinicianID: "c1", EarningIDs: []string{"e1"}, Total: money.GBP(amount), IncludedAt: mar3}
}

func issuedInvoice(s *projectiontest.Spec, amount string) []eventstore.RecordedEvent {
	return s.Given(invoice.StreamID("inv1"),
		invoice.Raised{InvoiceID: "inv1", PatientID: "p1", RaisedAt: feb10},
		invoice.BillableItemAdded{InvoiceID: "inv1", PatientID: "p1", ItemID: "i1", ClinicianID: "c1", Description: "letter", Amount: money.GBP(amount), AddedAt: feb10},
		invoice.Issued{InvoiceID: "inv1", PatientID: "p1", Total: money.GBP(amount), IssuedAt: feb10})
}

func TestAV2AccrualDebitsFeeExpenseAndCreditsTheClinicianPending(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, journal.New)
	recs := s.Given(earnings.StreamID("c1"), accrual("e1", a1, "250.00", ledger.V2))
	expectPosted(t, s, recs[0], "fee_expense 250.00; clinician_pending:c1 -250.00")
}

func TestAV1AccrualPostsToTheV1Pair(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, journal.New)
	recs := s.Given(earnings.StreamID("c1"), accrual("e1", a1, "90.00", ledger.V1))
	expectPosted(t, s, recs[0], "v1_work_expense 90.00; v1_clinician_owed:c1 -90.00")
}

func TestAReleaseMovesPendingToPayable(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, journal.New)
	recs := s.Given(earnings.StreamID("c1"), accrual("e1", a1, "250.00", ledger.V2), release("e1", a1, "250.00"))
	expectPosted(t, s, recs[1], "clinician_pending:c1 250.00; clinician_payable:c1 -250.00")
}

func TestInclusionInAPayoutMovesPayableToInPayout(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, journal.New)
	recs := s.Given(earnings.StreamID("c1"), accrual("e1", a1, "250.00", ledger.V2), release("e1", a1, "250.00"), included("250.00"))
	expectPosted(t, s, last(recs), "clinician_payable:c1 250.00; clinician_in_payout:c1 -250.00")
}

func TestAPaidOutPayoutCreditsTheBank(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, journal.New)
	recs := s.Given(earnings.StreamID("c1"), accrual("e1", a1, "250.00", ledger.V2), release("e1", a1, "250.00"), included("250.00"),
		earnings.PaidOut{PayoutID: "run1", ClinicianID: "c1", EarningIDs: []string{"e1"}, Total: money.GBP("250.00"), PaidAt: mar3})
	expectPosted(t, s, last(recs), "clinician_in_payout:c1 250.00; bank -250.00")
}

func TestAReturnFromAPayoutMovesItBackToPayable(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, journal.New)
	recs := s.Given(earnings.StreamID("c1"), accrual("e1", a1, "250.00", ledger.V2), release("e1", a1, "250.00"), included("250.00"),
		earnings.ReturnedFromPayout{PayoutID: "run1", ClinicianID: "c1", EarningIDs: []string{"e1"}, Total: money.GBP("250.00"), Reason: "bank said no", ReturnedAt: mar3})
	expectPosted(t, s, last(recs), "clinician_in_payout:c1 250.00; clinician_payable:c1 -250.00")
	if got := bal(t, s, journal.ClinicianPayable+"c1"); got != "-250.00" {
		t.Fatalf("payable = %s", got)
	}
}

func TestAnIssuedInvoiceIsReceivableAgainstRevenue(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, journal.New)
	recs := issuedInvoice(s, "60.00")
	expectPosted(t, s, recs[0], "")
	expectPosted(t, s, recs[1], "")
	expectPosted(t, s, recs[2], "patient_receivable:p1 60.00; revenue -60.00")
}

func TestAPaymentDebitsTheBankAndCreditsThePatient(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, journal.New)
	issuedInvoice(s, "60.00")
	recs := s.Given(invoice.StreamID("inv1"), invoice.PaymentRecorded{InvoiceID: "inv1", PatientID: "p1", PaymentID: "x", Amount: money.GBP("15.00"),
		PaidTotal: money.GBP("15.00"), Outstanding: money.GBP("45.00"), PaidAt: feb10})
	expectPosted(t, s, recs[0], "bank 15.00; patient_receivable:p1 -15.00")
}

func TestVoidingAnIssuedInvoiceReversesItsRevenueAndWritesOffItsPendingItems(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, journal.New)
	issuedInvoice(s, "60.00")
	s.Given(earnings.StreamID("c1"), accrual("e1", item, "60.00", ledger.V2))
	recs := s.Given(invoice.StreamID("inv1"), invoice.Voided{InvoiceID: "inv1", PatientID: "p1", Reason: "mistake", VoidedAt: feb10})
	expectPosted(t, s, recs[0], "revenue 60.00; patient_receivable:p1 -60.00; clinician_pending:c1 60.00; fee_expense -60.00")
}

func TestVoidingADraftReversesNoRevenue(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, journal.New)
	s.Given(invoice.StreamID("inv1"), invoice.Raised{InvoiceID: "inv1", PatientID: "p1", RaisedAt: feb10})
	recs := s.Given(invoice.StreamID("inv1"), invoice.Voided{InvoiceID: "inv1", PatientID: "p1", VoidedAt: feb10})
	expectPosted(t, s, recs[0], "")
}

func TestAnItemAccruedAfterItsInvoiceWasVoidedIsWrittenOffAtOnce(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, journal.New)
	s.Given(invoice.StreamID("inv1"), invoice.Raised{InvoiceID: "inv1", PatientID: "p1", RaisedAt: feb10}, invoice.Voided{InvoiceID: "inv1", PatientID: "p1", VoidedAt: feb10})
	recs := s.Given(earnings.StreamID("c1"), accrual("e1", item, "30.00", ledger.V2))
	expectPosted(t, s, recs[0], "fee_expense 30.00; clinician_pending:c1 -30.00; clinician_pending:c1 30.00; fee_expense -30.00")
}

func TestAVoidWritesOffAV1ItemOnTheV1Pair(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, journal.New)
	s.Given(invoice.StreamID("inv1"), invoice.Raised{InvoiceID: "inv1", PatientID: "p1", RaisedAt: feb10})
	s.Given(earnings.StreamID("c1"), accrual("e1", item, "30.00", ledger.V1))
	recs := s.Given(invoice.StreamID("inv1"), invoice.Voided{InvoiceID: "inv1", PatientID: "p1", VoidedAt: feb10})
	expectPosted(t, s, recs[0], "v1_clinician_owed:c1 30.00; v1_work_expense -30.00")
}

func TestAVoidLeavesReleasedAndArrivedItemsAlone(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, journal.New)
	s.Given(invoice.StreamID("inv1"), invoice.Raised{InvoiceID: "inv1", PatientID: "p1", RaisedAt: feb10})
	v1item := earnings.BillableItem("inv1", "i2")
	s.Given(earnings.StreamID("c1"), accrual("e1", item, "30.00", ledger.V2), release("e1", item, "30.00"),
		accrual("e2", v1item, "20.00", ledger.V1),
		earnings.V1WorkArrived{EarningID: "e2", ClinicianID: "c1", Source: v1item, Amount: money.GBP("20.00"), Reason: earnings.ReleaseInvoicePaid, ArrivedAt: feb10})
	recs := s.Given(invoice.StreamID("inv1"), invoice.Voided{InvoiceID: "inv1", PatientID: "p1", VoidedAt: feb10})
	expectPosted(t, s, recs[0], "")
}

func TestV1WorkArrivingPostsNothing(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, journal.New)
	recs := s.Given(earnings.StreamID("c1"), accrual("e1", a1, "90.00", ledger.V1),
		earnings.V1WorkArrived{EarningID: "e1", ClinicianID: "c1", Source: a1, Amount: money.GBP("90.00"), Reason: earnings.ReleaseFormSubmitted, ArrivedAt: feb10})
	expectPosted(t, s, recs[1], "")
}

func TestEachEntryNamesTheEventStreamAndVersionThatMadeIt(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, journal.New)
	recs := s.Given(earnings.StreamID("c1"), accrual("e1", a1, "250.00", ledger.V2), release("e1", a1, "250.00"))
	lines, err := journal.Entries(s.Ctx, s.DB, journal.Filter{Ref: "e1"})
	s.Must(err)
	if len(lines) != 4 || lines[0].EventID != recs[0].ID || lines[2].EventID != recs[1].ID || lines[0].Stream != "earnings-c1" ||
		lines[0].Version != 1 || lines[2].Version != 2 || lines[2].EventType != "earnings.released.v1" || lines[2].Memo != "consultation a1 released (form_submitted)" {
		t.Fatalf("trail = %+v", lines)
	}
}

func TestARedeliveredEventPostsOnce(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, journal.New)
	recs := s.Given(earnings.StreamID("c1"), accrual("e1", a1, "250.00", ledger.V2))
	s.Apply(recs[0])
	if got := bal(t, s, journal.FeeExpense); got != "250.00" {
		t.Fatalf("fee expense = %s after a redelivery, want 250.00", got)
	}
}
