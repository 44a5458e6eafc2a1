package payments_test

import (
	"testing"
	"time"

	"ledgerdesk/domain/earnings"
	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/policies/payments"
	"ledgerdesk/policies/payments/paymentstest"
)

// invoiceWithItems raises an invoice with one item per clinician, 60.00 each, and issues it.
func invoiceWithItems(t *testing.T, h *paymentstest.Harness, id string, at time.Time, clinicians ...string) {
	t.Helper()
	h.Must(h.Invoice(id, invoice.Raise{InvoiceID: id, PatientID: "p1", At: at}))
	for i, c := range clinicians {
		h.Must(h.Invoice(id, invoice.AddBillableItem{InvoiceID: id, ItemID: string(rune('a' + i)), ClinicianID: c,
			Description: "report for the GP", Amount: money.GBP("60.00"), At: at}))
	}
	h.Must(h.Invoice(id, invoice.Issue{InvoiceID: id, At: at.Add(time.Minute)}))
}

func TestABillableItemIsPaidToItsClinicianOnlyOnceTheInvoiceIsPaidInFull(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	invoiceWithItems(t, h, "i1", feb10, "c1", "c2")
	h.Settle()
	for _, c := range []string{"c1", "c2"} {
		if p := h.Earnings(c).Pending(); len(p) != 1 || p[0].Ledger != ledger.V2 || p[0].WorkDate != ledger.LondonDate(feb10) {
			t.Fatalf("clinician %s after the item was raised: pending %+v, want one V2 item dated the day it was raised", c, p)
		}
	}

	h.Must(h.Invoice("i1", invoice.RecordPayment{InvoiceID: "i1", PaymentID: "pay1", Amount: money.GBP("119.99"), At: feb10.Add(time.Hour)}))
	h.Settle()
	if r := h.Earnings("c1").ReleasedUnpaid(); len(r) != 0 {
		t.Fatalf("released before the invoice was paid in full: %+v", r)
	}

	h.Must(h.Invoice("i1", invoice.RecordPayment{InvoiceID: "i1", PaymentID: "pay2", Amount: money.GBP("0.01"), At: feb10.Add(2 * time.Hour)}))
	h.Settle()
	for i, c := range []string{"c1", "c2"} {
		x, _ := h.Earnings(c).Earning(payments.BillableItemEarningID("i1", string(rune('a'+i))))
		if x.Status != earnings.StatusReleased || x.ReleaseReason != earnings.ReleaseInvoicePaid {
			t.Fatalf("clinician %s after payment in full: %+v, want released by the invoice payment", c, x)
		}
	}
}

func TestAVoidedInvoiceReleasesNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	invoiceWithItems(t, h, "i1", feb10, "c1")
	h.Must(h.Invoice("i1", invoice.Void{InvoiceID: "i1", Reason: "raised in error", At: feb10.Add(time.Hour)}))
	h.Settle()
	s := h.Earnings("c1")
	if len(s.ReleasedUnpaid()) != 0 || len(s.Pending()) != 1 {
		t.Fatalf("after the void: pending %+v, released %+v; want the item still pending and nothing released", s.Pending(), s.ReleasedUnpaid())
	}
}
