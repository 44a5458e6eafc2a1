package journal_test

import (
	"testing"
	"time"

	"ledgerdesk/domain/earnings"
	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/projections/journal"
)

type fakeBook struct {
	inv  journal.InvoiceFacts
	open []journal.OpenItem
}

func (b fakeBook) Invoice(string) (journal.InvoiceFacts, error) { return b.inv, nil }
func (b fakeBook) OpenItems(string) ([]journal.OpenItem, error) { return b.open, nil }

// FuzzEveryPostingBalances: whatever the event and the amounts, each posting's entries add
// up to zero, which is what keeps the trial balance at zero.
func FuzzEveryPostingBalances(f *testing.F) {
	f.Add(uint8(0), int64(25000), int64(0), true, false, "c1")
	f.Add(uint8(6), int64(1), int64(3000), false, true, "")
	f.Add(uint8(8), int64(999999999999), int64(7), true, true, "c:2")
	f.Fuzz(func(t *testing.T, kind uint8, a, b int64, v1, voided bool, clinician string) {
		amount, other := money.FromPence(a), money.FromPence(b)
		l := ledger.V2
		if v1 {
			l = ledger.V1
		}
		at := time.Date(2025, 2, 10, 0, 0, 0, 0, time.UTC)
		src := earnings.BillableItem("inv", "item")
		if kind%2 == 0 {
			src = earnings.Consultation("a1")
		}
		events := []any{
			earnings.Accrued{EarningID: "e", ClinicianID: clinician, Source: src, Amount: amount, Ledger: l, AccruedAt: at},
			earnings.Released{EarningID: "e", ClinicianID: clinician, Source: src, Amount: amount, ReleasedAt: at},
			earnings.IncludedInPayout{PayoutID: "p", ClinicianID: clinician, EarningIDs: []string{"e"}, Total: amount, IncludedAt: at},
			earnings.PaidOut{PayoutID: "p", ClinicianID: clinician, EarningIDs: []string{"e"}, Total: amount, PaidAt: at},
			earnings.ReturnedFromPayout{PayoutID: "p", ClinicianID: clinician, Total: amount, ReturnedAt: at},
			invoice.Issued{InvoiceID: "inv", PatientID: "p1", Total: amount, IssuedAt: at},
			invoice.PaymentRecorded{InvoiceID: "inv", PatientID: "p1", Amount: amount, PaidAt: at},
			invoice.Voided{InvoiceID: "inv", PatientID: "p1", VoidedAt: at},
			earnings.V1WorkArrived{EarningID: "e", ClinicianID: clinician, Amount: amount},
		}
		ev := events[int(kind)%len(events)]
		book := fakeBook{
			inv:  journal.InvoiceFacts{PatientID: "p1", IssuedTotal: other, Voided: voided},
			open: []journal.OpenItem{{EarningID: "x", ClinicianID: clinician, Ledger: l, Amount: other}},
		}
		ps, err := journal.Post(ev, book)
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range ps {
			if !p.Balanced() || len(p.Entries) != 2 {
				t.Fatalf("posting %d of %T does not balance: %+v", i, ev, p)
			}
		}
	})
}
