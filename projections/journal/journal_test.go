package journal_test

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
	"ledgerdesk/policies/payments"
	"ledgerdesk/policies/payments/paymentstest"
	"ledgerdesk/projections/journal"
)

var (
	goLive   = ledger.Date{Year: 2025, Month: time.February, Day: 3}
	feb10    = time.Date(2025, time.February, 10, 10, 0, 0, 0, time.UTC)
	jan20    = time.Date(2025, time.January, 20, 10, 0, 0, 0, time.UTC)
	mar3     = time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC)
	practice = payouts.Party{Name: "Northbridge Psychiatry Ltd", SortCode: "200000", AccountNumber: "55779911"}
)

func newHarness(t *testing.T) *paymentstest.Harness {
	h := paymentstest.New(t)
	h.GoLive(goLive)
	h.Clinician("c1", "Dr Aisha Okafor", "40-12-76", "12345678")
	return h
}

func consultation(h *paymentstest.Harness, id, fee string, worked time.Time, form bool) {
	h.Must(h.Appointment(id, appointment.Book{AppointmentID: id, PatientID: "p1", ClinicianID: "c1", StartsAt: worked, Fee: money.GBP(fee), At: worked}))
	h.Must(h.Appointment(id, appointment.Complete{AppointmentID: id, At: worked}))
	if form {
		h.Must(h.Appointment(id, appointment.SubmitForm{AppointmentID: id, By: "c1", At: worked.Add(time.Hour)}))
	}
}

func invoiceOf(h *paymentstest.Harness, id, amount string, issue bool) {
	h.Must(h.Invoice(id, invoice.Raise{InvoiceID: id, PatientID: "p1", At: feb10}))
	h.Must(h.Invoice(id, invoice.AddBillableItem{InvoiceID: id, ItemID: "i", ClinicianID: "c1", Description: "letter", Amount: money.GBP(amount), At: feb10}))
	if issue {
		h.Must(h.Invoice(id, invoice.Issue{InvoiceID: id, At: feb10}))
	}
}

func balance(t *testing.T, h *paymentstest.Harness, account string) string {
	t.Helper()
	b, err := journal.AccountBalance(h.Ctx, h.Pool, account)
	h.Must(err)
	return b.String()
}

func TestTheTrialBalanceIsZeroAndEachBalanceIsWhatTheMoneyIs(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	consultation(h, "pending", "100.00", feb10, false)
	consultation(h, "v1", "90.00", jan20, true)
	consultation(h, "paid", "250.00", feb10, true)
	invoiceOf(h, "inv-paid", "60.00", true)
	h.Must(h.Invoice("inv-paid", invoice.RecordPayment{InvoiceID: "inv-paid", PaymentID: "x", Amount: money.GBP("60"), At: feb10.Add(time.Hour)}))
	invoiceOf(h, "inv-part", "40.00", true)
	h.Must(h.Invoice("inv-part", invoice.RecordPayment{InvoiceID: "inv-part", PaymentID: "y", Amount: money.GBP("15"), At: feb10.Add(time.Hour)}))
	h.Settle()
	_, err := payouts.Run(h.Ctx, h.Deps, nil, payouts.RunRequest{PayoutID: "run1", Cutoff: ledger.LondonDate(mar3), RequestedBy: "clerk", At: mar3, Clinicians: []string{"c1"}})
	h.Must(err)
	_, err = payouts.Export(h.Ctx, h.Deps, pain001.Writer{}, payouts.ExportRequest{PayoutID: "run1", Debtor: practice, By: "clerk", At: mar3}, io.Discard)
	h.Must(err)
	h.Must(payouts.MarkSubmitted(h.Ctx, h.Deps, "run1", mar3, paymentstest.Meta()))
	h.Must(payouts.MarkSettled(h.Ctx, h.Deps, "run1", mar3.Add(time.Hour), paymentstest.Meta()))
	consultation(h, "released", "45.00", feb10, true)
	h.Settle()
	h.Project(journal.New(h.Codec))

	tb, err := journal.Trial(h.Ctx, h.Pool, false)
	h.Must(err)
	if !tb.Total.IsZero() || !tb.Debits.Equal(tb.Credits) {
		t.Fatalf("trial balance = %+v, want debits = credits and a zero total", tb)
	}
	for account, want := range map[string]string{
		journal.ClinicianPending + "c1":  "-140.00", // the consultation without a form and the part-paid invoice's item
		journal.ClinicianPayable + "c1":  "-45.00",
		journal.ClinicianInPayout + "c1": "0.00",
		journal.V1ClinicianOwed + "c1":   "-90.00",
		journal.Bank:                     "-235.00", // 75.00 in from patients, 310.00 out to the clinician
		journal.PatientReceivable + "p1": "25.00",
		journal.Revenue:                  "-100.00",
		journal.FeeExpense:               "495.00",
	} {
		if got := balance(t, h, account); got != want {
			t.Errorf("%s = %s, want %s", account, got, want)
		}
	}
}

// Whichever the journal sees first, the void or the item's accrual (they are in different
// streams, so either order happens), the voided item is written off and owes nothing.
func TestAVoidedInvoicesItemIsWrittenOffWhicheverComesFirst(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	invoiceOf(h, "accrued-first", "60.00", true)
	h.Settle()
	h.Must(h.Invoice("accrued-first", invoice.Void{InvoiceID: "accrued-first", Reason: "mistake", At: feb10}))
	invoiceOf(h, "voided-first", "30.00", false)
	h.Must(h.Invoice("voided-first", invoice.Void{InvoiceID: "voided-first", Reason: "mistake", At: feb10}))
	h.Settle()
	h.Project(journal.New(h.Codec))

	for _, account := range []string{journal.ClinicianPending + "c1", journal.FeeExpense, journal.Revenue, journal.PatientReceivable + "p1"} {
		if got := balance(t, h, account); got != "0.00" {
			t.Errorf("%s = %s, want 0.00 after the voids", account, got)
		}
	}
	lines, err := journal.Entries(h.Ctx, h.Pool, journal.Filter{Ref: payments.BillableItemEarningID("voided-first", "i")})
	h.Must(err)
	if len(lines) != 4 || lines[2].Memo != "invoice voided-first voided: billable item earning written off" {
		t.Fatalf("entries of the voided-first item = %+v, want its accrual and its write-off", lines)
	}
}

// Every payment traces back to the events that earned and released it.
func TestEveryEntryTracesBackToTheEventThatMadeIt(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	consultation(h, "a1", "250.00", feb10, true)
	h.Settle()
	h.Project(journal.New(h.Codec))
	lines, err := journal.Entries(h.Ctx, h.Pool, journal.Filter{Ref: payments.ConsultationEarningID("a1")})
	h.Must(err)
	if len(lines) != 4 || lines[0].EventType != "earnings.accrued.v1" || lines[2].EventType != "earnings.released.v1" ||
		lines[0].Stream != "earnings-c1" || lines[0].Version != 1 || lines[2].Version != 2 {
		t.Fatalf("trail = %+v", lines)
	}
	recs, err := h.Store.ReadStream(h.Ctx, "earnings-c1", 1, 2)
	h.Must(err)
	if lines[0].EventID != recs[0].ID || lines[2].EventID != recs[1].ID {
		t.Fatal("entries do not name the events that made them")
	}
	byAccount, err := journal.Entries(h.Ctx, h.Pool, journal.Filter{Account: "clinician_"})
	h.Must(err)
	if len(byAccount) != 0 {
		t.Fatalf("an account prefix must end with ':' to match; got %d lines", len(byAccount))
	}
	byAccount, err = journal.Entries(h.Ctx, h.Pool, journal.Filter{Account: "clinician_payable:"})
	h.Must(err)
	if len(byAccount) != 1 || byAccount[0].Amount.String() != "-250.00" {
		t.Fatalf("payable entries = %+v", byAccount)
	}
	bs, err := journal.Balances(h.Ctx, h.Pool, journal.ClinicianPayable)
	h.Must(err)
	if len(bs) != 1 || bs[0].Account != "clinician_payable:c1" || bs[0].Balance.String() != "-250.00" {
		t.Fatalf("balances = %+v", bs)
	}
}
