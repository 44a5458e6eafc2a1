package v1item_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/domain/v1item"
)

// Random imports, conflicts, ticks and undos must keep the item's invariants: the figures
// are those of the first successful import and never change (a recorded conflict included);
// there is never more than one standing tick; an item paid in V1 is never ticked; a
// rejected command produces no events; the same disagreement is never recorded twice.
func TestFiguresNeverChangeAndAnItemIsTickedAtMostOnce(t *testing.T) {
	const seed = 31
	rng := rand.New(rand.NewPCG(seed, seed))
	variants := []v1item.Figures{
		figures, paid,
		with(func(f *v1item.Figures) { f.Amount = money.GBP("99.99") }),
		with(func(f *v1item.Figures) { f.ClinicianID = "" }),                                     // invalid
		with(func(f *v1item.Figures) { f.WorkDate = ledger.Date{Year: 2025, Month: 2, Day: 3} }), // V2 work
	}
	at := time.Date(2025, 2, 10, 9, 0, 0, 0, ledger.London)
	for run := range 1000 {
		var history []v1item.Event
		var first *v1item.Figures
		standing := 0
		conflicts := map[string]bool{}
		for step := range 30 {
			at = at.Add(time.Minute)
			var cmd v1item.Command
			switch rng.IntN(5) {
			case 0:
				c := importOf(variants[rng.IntN(len(variants))])
				c.At = at
				cmd = c
			case 4:
				c := v1item.RecordConflict{SourceFile: "f.csv", By: "clerk", At: at}
				for range 1 + rng.IntN(3) {
					c.Variants = append(c.Variants, v1item.Variant{Figures: variants[rng.IntN(len(variants))], Lines: []int{2 + rng.IntN(5)}})
				}
				cmd = c
			case 1, 2:
				cmd = v1item.TickOff{By: "clerk", At: at}
			default:
				cmd = v1item.UndoTickOff{By: "clerk", At: at, Reason: "mistake"}
			}
			evs, err := v1item.Decide(v1item.Decider.Fold(history), cmd)
			if err != nil && len(evs) > 0 {
				t.Fatalf("seed %d run %d step %d: rejected %T yet produced %v", seed, run, step, cmd, evs)
			}
			for _, e := range evs {
				switch e := e.(type) {
				case v1item.V1ItemImported:
					if first != nil {
						t.Fatalf("seed %d run %d step %d: imported twice", seed, run, step)
					}
					f := e.Figures()
					first = &f
				case v1item.TickedOff:
					standing++
					if first == nil || first.Status == v1item.StatusPaid {
						t.Fatalf("seed %d run %d step %d: ticked an item that is not outstanding", seed, run, step)
					}
				case v1item.TickOffUndone:
					standing--
				case v1item.ImportConflictRecorded:
					var key []string
					for _, r := range e.Variants {
						key = append(key, r.Figures(e.Reference).Fingerprint())
					}
					slices.Sort(key)
					if conflicts[fmt.Sprint(key)] {
						t.Fatalf("seed %d run %d step %d: the same conflict recorded twice", seed, run, step)
					}
					conflicts[fmt.Sprint(key)] = true
				}
			}
			history = append(history, evs...)
			if standing < 0 || standing > 1 {
				t.Fatalf("seed %d run %d step %d: %d standing ticks", seed, run, step, standing)
			}
			s := v1item.Decider.Fold(history)
			if first != nil && s.Figures() != *first {
				t.Fatalf("seed %d run %d step %d: figures changed from %+v to %+v", seed, run, step, *first, s.Figures())
			}
			if _, _, ok := s.TickedOff(); ok != (standing == 1) {
				t.Fatalf("seed %d run %d step %d: state disagrees with history about the tick", seed, run, step)
			}
		}
	}
}
