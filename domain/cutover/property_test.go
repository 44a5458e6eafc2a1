package cutover_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"ledgerdesk/domain/cutover"
	"ledgerdesk/domain/ledger"
)

// Random schedules and cutover records, sent with a clock that mostly moves forward but
// sometimes lies, must never move a go-live date after its day has begun, never record the
// cutover twice, and never record it for any date but the one finally held.
func TestGoLiveNeverMovesAfterItsDayHasBegunAndCutoverHappensOnce(t *testing.T) {
	const seed = 20250203
	rng := rand.New(rand.NewPCG(seed, seed))
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, ledger.London)
	for run := range 500 {
		var history []cutover.Event
		now := base
		cutovers := 0
		for step := range 40 {
			now = now.Add(time.Duration(rng.IntN(72)) * time.Hour)
			at := now
			if rng.IntN(10) == 0 { // a skewed clock
				at = now.Add(-time.Duration(rng.IntN(200)) * time.Hour)
			}
			var cmd cutover.Command
			if rng.IntN(3) == 0 {
				cmd = cutover.RecordCutover{At: at}
			} else {
				d := ledger.LondonDate(base.AddDate(0, 0, rng.IntN(120)))
				cmd = cutover.ScheduleGoLive{Date: d, At: at}
			}
			before := cutover.Decider.Fold(history)
			evs, err := cutover.Decide(before, cmd)
			if err != nil && len(evs) > 0 {
				t.Fatalf("seed %d run %d step %d: rejected %+v yet produced %v", seed, run, step, cmd, evs)
			}
			for _, e := range evs {
				switch e := e.(type) {
				case cutover.GoLiveRescheduled:
					if before.CutoverHappened() || !e.At.Before(e.From.StartInLondon()) || !e.At.Before(e.To.StartInLondon()) {
						t.Fatalf("seed %d run %d step %d: moved a go-live that had begun: %+v", seed, run, step, e)
					}
				case cutover.CutoverHappened:
					cutovers++
					if d, _ := before.GoLive(); d != e.GoLive || e.At.Before(e.StartedAt) {
						t.Fatalf("seed %d run %d step %d: cutover %+v does not match go-live %v", seed, run, step, e, d)
					}
				}
			}
			history = append(history, evs...)
		}
		if cutovers > 1 {
			t.Fatalf("seed %d run %d: cutover recorded %d times", seed, run, cutovers)
		}
	}
}
