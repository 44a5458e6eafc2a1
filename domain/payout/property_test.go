package payout_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"ledgerdesk/domain/money"
	"ledgerdesk/domain/payout"
)

// Over random command sequences: the finalised total is the sum of the lines and the line
// count their number; one line per clinician and each earning on one line; settled plus
// failed lines account for the whole total; the run only moves forward; a line fails at
// most once; and a refused command emits nothing.
func TestPayoutLinesSumToTheTotalAndTheRunOnlyMovesForward(t *testing.T) {
	const seeds, steps = 400, 40
	seen := map[string]int{}
	for seed := uint64(1); seed <= seeds; seed++ {
		rng := rand.New(rand.NewPCG(seed, 0xba7c4))
		s := payout.Decider.Fold([]payout.Event{started()})
		lines := map[string]money.Amount{}
		earningLine := map[string]string{}
		failed := map[string]bool{}
		var finalTotal money.Amount
		rank := 1
		for step := range steps {
			c := randomPayoutCommand(rng, step)
			evs, err := payout.Decide(s, c)
			fail := func(format string, args ...any) {
				t.Helper()
				t.Fatalf("seed %d step %d (%T%+v): %s", seed, step, c, c, fmt.Sprintf(format, args...))
			}
			if err != nil && len(evs) > 0 {
				fail("refused with %v but emitted %v", err, evs)
			}
			for _, e := range evs {
				seen[e.EventType()]++
				switch e := e.(type) {
				case payout.LineAdded:
					if _, dup := lines[e.ClinicianID]; dup {
						fail("second line for %s", e.ClinicianID)
					}
					for _, id := range e.EarningIDs {
						if other := earningLine[id]; other != "" {
							fail("earning %s on the lines of %s and %s", id, other, e.ClinicianID)
						}
						earningLine[id] = e.ClinicianID
					}
					lines[e.ClinicianID] = e.Amount
				case payout.Finalised:
					sum := money.Zero
					for _, a := range lines {
						sum = sum.Add(a)
					}
					if !sum.Equal(e.Total) || e.LineCount != len(lines) {
						fail("finalised %s over %d lines, lines sum to %s over %d", e.Total, e.LineCount, sum, len(lines))
					}
					finalTotal = e.Total
				case payout.LineFailed:
					if failed[e.ClinicianID] {
						fail("line %s failed twice", e.ClinicianID)
					}
					failed[e.ClinicianID] = true
				case payout.Settled:
					sum := money.Zero
					for c, a := range lines {
						if failed[c] {
							sum = sum.Add(a)
						}
					}
					if !sum.Add(e.Total).Equal(finalTotal) {
						fail("settled %s + failed %s != finalised %s", e.Total, sum, finalTotal)
					}
				}
				s = payout.Evolve(s, e)
			}
			r := slices.Index([]payout.Status{payout.StatusNone, payout.StatusDrafting, payout.StatusFinalised, payout.StatusExported,
				payout.StatusSubmitted, payout.StatusSettled, payout.StatusAbandoned}, s.Status)
			if r < rank {
				fail("run went back from rank %d to %s", rank, s.Status)
			}
			rank = r
		}
	}
	for _, e := range payout.EventTypes() {
		if _, given := e.(payout.Started); !given && seen[e.EventType()] < 20 {
			t.Errorf("only %d %s events over all seeds; the generator does not exercise it", seen[e.EventType()], e.EventType())
		}
	}
}

func randomPayoutCommand(rng *rand.Rand, step int) payout.Command {
	clinician := fmt.Sprintf("clinician-%d", rng.IntN(5))
	when := at(step)
	switch rng.IntN(12) {
	case 0, 1, 2, 3:
		ids := []string{fmt.Sprintf("e%d", rng.IntN(15))}
		if rng.IntN(2) == 0 {
			ids = append(ids, fmt.Sprintf("e%d", rng.IntN(15)))
		}
		return payout.AddLine{PayoutID: runID, ClinicianID: clinician, EarningIDs: ids, Amount: money.FromPence(int64(rng.IntN(100000)) - 10),
			Payee: payout.Payee{Name: "Dr " + clinician, SortCode: "11-22-33", AccountNumber: "12345678"}, At: when}
	case 4:
		return payout.Finalise{PayoutID: runID, At: when}
	case 5:
		return payout.Export{PayoutID: runID, MessageID: msgID, SHA256: sha, At: when}
	case 6:
		return payout.MarkSubmitted{PayoutID: runID, At: when}
	case 7, 8:
		return payout.FailLine{PayoutID: runID, ClinicianID: clinician, Reason: "AC04", At: when}
	case 9:
		return payout.MarkSettled{PayoutID: runID, At: when}
	case 10:
		if rng.IntN(4) == 0 {
			return payout.Abandon{PayoutID: runID, Reason: "r", At: when}
		}
		return payout.Finalise{PayoutID: runID, At: when}
	default:
		return payout.MarkSubmitted{PayoutID: runID, At: when}
	}
}
