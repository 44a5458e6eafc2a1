package invoices_test

import (
	"errors"
	"testing"
	"time"

	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/money"
	"ledgerdesk/policies/payments/paymentstest"
	"ledgerdesk/projections/invoices"
)

var feb10 = time.Date(2025, time.February, 10, 10, 0, 0, 0, time.UTC)

func TestInvoicesShowTheirBalanceItemsAndPayments(t *testing.T) {
	t.Parallel()
	h := paymentstest.New(t)
	raise := func(id, patient string, at time.Time, items ...string) {
		h.Must(h.Invoice(id, invoice.Raise{InvoiceID: id, PatientID: patient, At: at}))
		for i, a := range items {
			h.Must(h.Invoice(id, invoice.AddBillableItem{InvoiceID: id, ItemID: string(rune('a' + i)), ClinicianID: "c" + string(rune('1'+i)),
				Description: "a letter about the patient", Amount: money.GBP(a), At: at}))
		}
	}
	raise("draft", "p1", feb10, "10.00")
	raise("part", "p1", feb10.Add(time.Hour), "60.00", "15.50")
	h.Must(h.Invoice("part", invoice.Issue{InvoiceID: "part", At: feb10.Add(time.Hour)}))
	h.Must(h.Invoice("part", invoice.RecordPayment{InvoiceID: "part", PaymentID: "pay1", Amount: money.GBP("25.25"), At: feb10.Add(2 * time.Hour)}))
	raise("paid", "p2", feb10.Add(2*time.Hour), "40.00")
	h.Must(h.Invoice("paid", invoice.Issue{InvoiceID: "paid", At: feb10.Add(2 * time.Hour)}))
	h.Must(h.Invoice("paid", invoice.RecordPayment{InvoiceID: "paid", PaymentID: "pay2", Amount: money.GBP("40"), At: feb10.Add(3 * time.Hour)}))
	raise("void", "p2", feb10.Add(3*time.Hour), "30.00")
	h.Must(h.Invoice("void", invoice.Issue{InvoiceID: "void", At: feb10.Add(3 * time.Hour)}))
	h.Must(h.Invoice("void", invoice.Void{InvoiceID: "void", Reason: "raised in error", At: feb10.Add(4 * time.Hour)}))
	h.Project(invoices.New(h.Codec))

	all, err := invoices.List(h.Ctx, h.Pool, invoices.Filter{})
	h.Must(err)
	want := []struct{ id, status, total, paid, outstanding string }{
		{"void", "voided", "30.00", "0.00", "0.00"},
		{"paid", "paid", "40.00", "40.00", "0.00"},
		{"part", "issued", "75.50", "25.25", "50.25"},
		{"draft", "draft", "10.00", "0.00", "10.00"},
	}
	if len(all) != len(want) {
		t.Fatalf("listed %d invoices, want %d: %+v", len(all), len(want), all)
	}
	for i, w := range want {
		g := all[i]
		if g.InvoiceID != w.id || g.Status != w.status || g.Total.String() != w.total || g.Paid.String() != w.paid || g.Outstanding.String() != w.outstanding {
			t.Errorf("row %d = %s %s total %s paid %s outstanding %s; want %+v", i, g.InvoiceID, g.Status, g.Total, g.Paid, g.Outstanding, w)
		}
	}
	for name, c := range map[string]struct {
		f    invoices.Filter
		want int
	}{
		"issued only":       {invoices.Filter{Status: "issued"}, 1},
		"patient p2":        {invoices.Filter{PatientID: "p2"}, 2},
		"clinician c2 item": {invoices.Filter{ClinicianID: "c2"}, 1},
		"limit":             {invoices.Filter{Limit: 2}, 2},
	} {
		got, err := invoices.List(h.Ctx, h.Pool, c.f)
		h.Must(err)
		if len(got) != c.want {
			t.Errorf("%s: %d invoices, want %d", name, len(got), c.want)
		}
	}

	part, err := invoices.Get(h.Ctx, h.Pool, "part")
	h.Must(err)
	if len(part.Items) != 2 || part.Items[0].ItemID != "a" || part.Items[1].ClinicianID != "c2" || !part.Items[1].Amount.Equal(money.GBP("15.50")) ||
		len(part.Payments) != 1 || part.Payments[0].PaymentID != "pay1" || part.IssuedAt == nil {
		t.Fatalf("invoice part = %+v", part)
	}
	if _, err := invoices.Get(h.Ctx, h.Pool, "nope"); !errors.Is(err, invoices.ErrNotFound) {
		t.Fatalf("unknown invoice: err = %v, want ErrNotFound", err)
	}
}
