package invoice_test

import (
	"testing"

	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/money"
)

// Whatever item and payment figures arrive, Decide never panics, refuses with no events, and
// never records more paid than the invoice total.
func FuzzItemsAndPayments(f *testing.F) {
	f.Add("item-1", "letter", int64(10000), int64(5000), "pay-1", int64(5000), "pay-2")
	f.Add("", "", int64(0), int64(-1), "", int64(0), "")
	f.Add("i", "\xff", int64(1), int64(1), "p", int64(2), "p")
	f.Fuzz(func(t *testing.T, itemID, description string, itemPence, pay1Pence int64, pay1 string, pay2Pence int64, pay2 string) {
		s := invoice.Decider.Fold([]invoice.Event{raised()})
		cmds := []invoice.Command{
			invoice.AddBillableItem{InvoiceID: invID, ItemID: itemID, ClinicianID: drA, Description: description, Amount: money.FromPence(itemPence), At: t0},
			invoice.Issue{InvoiceID: invID, At: at(1)},
			invoice.RecordPayment{InvoiceID: invID, PaymentID: pay1, Amount: money.FromPence(pay1Pence), At: at(2)},
			invoice.RecordPayment{InvoiceID: invID, PaymentID: pay2, Amount: money.FromPence(pay2Pence), At: at(3)},
		}
		for _, c := range cmds {
			evs, err := invoice.Decide(s, c)
			if err != nil && len(evs) != 0 {
				t.Fatalf("%T refused with %v but emitted %v", c, err, evs)
			}
			for _, e := range evs {
				s = invoice.Evolve(s, e)
			}
			if s.Paid.Cmp(s.Total) > 0 {
				t.Fatalf("paid %s exceeds total %s", s.Paid, s.Total)
			}
		}
	})
}
