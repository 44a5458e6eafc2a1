package invoice_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/money"
)

// Over random command sequences: the amount paid never exceeds the invoice total; PaidInFull
// happens once, exactly when payments reach the total, listing items that sum to it; nothing
// is paid on a voided invoice and nothing paid is voided; a refused command emits nothing.
func TestPaidNeverExceedsTotalAndPaidInFullExactlyOnceAtTheTotal(t *testing.T) {
	const seeds = 500
	for seed := uint64(1); seed <= seeds; seed++ {
		rng := rand.New(rand.NewPCG(seed, 0x1a7015e))
		s := invoice.Decider.Fold([]invoice.Event{raised()})
		paidSum, fullN, voided := money.Zero, 0, false
		fail := func(step int, format string, args ...any) {
			t.Helper()
			t.Fatalf("seed %d step %d: %s", seed, step, fmt.Sprintf(format, args...))
		}
		for step := range 60 {
			c := randomInvoiceCommand(rng, s, step)
			evs, err := invoice.Decide(s, c)
			if err != nil && len(evs) > 0 {
				fail(step, "%T refused with %v but emitted %v", c, err, evs)
			}
			for _, e := range evs {
				s = invoice.Evolve(s, e)
				switch e := e.(type) {
				case invoice.PaymentRecorded:
					if voided {
						fail(step, "payment on a voided invoice")
					}
					paidSum = paidSum.Add(e.Amount)
					if !e.PaidTotal.Equal(paidSum) || !e.Outstanding.Equal(s.Total.Sub(paidSum)) {
						fail(step, "payment figures %+v, paid so far %s", e, paidSum)
					}
				case invoice.PaidInFull:
					fullN++
					if !paidSum.Equal(s.Total) || !e.Total.Equal(s.Total) {
						fail(step, "paid in full at %s of %s", paidSum, s.Total)
					}
					items := money.Zero
					for _, it := range e.Items {
						items = items.Add(it.Amount)
					}
					if !items.Equal(e.Total) {
						fail(step, "items sum to %s, total %s", items, e.Total)
					}
				case invoice.Voided:
					if !paidSum.IsZero() {
						fail(step, "voided after %s was paid", paidSum)
					}
					voided = true
				}
			}
			if paidSum.Cmp(s.Total) > 0 {
				fail(step, "paid %s exceeds total %s", paidSum, s.Total)
			}
			if fullN > 1 {
				fail(step, "paid in full %d times", fullN)
			}
			if fullN == 0 && !paidSum.IsZero() && paidSum.Equal(s.Total) {
				fail(step, "payments reached the total %s without PaidInFull", s.Total)
			}
		}
	}
}

func randomInvoiceCommand(rng *rand.Rand, s invoice.State, step int) invoice.Command {
	amount := money.FromPence(int64(rng.IntN(8000)) - 50)
	switch rng.IntN(10) {
	case 0, 1:
		return invoice.AddBillableItem{InvoiceID: invID, ItemID: fmt.Sprintf("item-%d", rng.IntN(6)), ClinicianID: drA,
			Description: "d", Amount: amount, At: at(step)}
	case 2:
		return invoice.Issue{InvoiceID: invID, At: at(step)}
	case 3:
		if rng.IntN(4) == 0 {
			return invoice.Void{InvoiceID: invID, Reason: "r", At: at(step)}
		}
		return invoice.Issue{InvoiceID: invID, At: at(step)}
	default:
		if rng.IntN(3) == 0 {
			// pay exactly what is left, so the paid-in-full path is taken often
			amount = s.Outstanding()
		}
		return invoice.RecordPayment{InvoiceID: invID, PaymentID: fmt.Sprintf("pay-%d", rng.IntN(12)), Amount: amount, At: at(step)}
	}
}
