package cutover_test

import (
	"testing"
	"time"

	"ledgerdesk/domain/cutover"
	"ledgerdesk/domain/ledger"
)

// Decide must never panic, and must only ever record real dates of this century.
func FuzzScheduleGoLive(f *testing.F) {
	f.Add(2025, 2, 3, int64(1736154000), 2025, 2, 10, int64(1736500000))
	f.Add(0, 0, 0, int64(0), 2025, 2, 30, int64(-1))
	f.Add(2025, 13, 1, int64(1<<40), 99999, 1, 1, int64(1736500000))
	f.Fuzz(func(t *testing.T, y1, m1, d1 int, at1 int64, y2, m2, d2 int, at2 int64) {
		var history []cutover.Event
		for _, c := range []cutover.Command{
			cutover.ScheduleGoLive{Date: ledger.Date{Year: y1, Month: time.Month(m1), Day: d1}, At: time.Unix(at1, 0)},
			cutover.RecordCutover{At: time.Unix(at1, 0)},
			cutover.ScheduleGoLive{Date: ledger.Date{Year: y2, Month: time.Month(m2), Day: d2}, At: time.Unix(at2, 0)},
			cutover.RecordCutover{At: time.Unix(at2, 0)},
		} {
			evs, err := cutover.Decide(cutover.Decider.Fold(history), c)
			if err != nil && len(evs) > 0 {
				t.Fatalf("rejected with events")
			}
			history = append(history, evs...)
		}
		s := cutover.Decider.Fold(history)
		if d, ok := s.GoLive(); ok {
			if _, err := ledger.ParseDate(d.String()); err != nil || d.Year < cutover.MinYear || d.Year > cutover.MaxYear {
				t.Fatalf("recorded go-live %v", d)
			}
		}
	})
}
