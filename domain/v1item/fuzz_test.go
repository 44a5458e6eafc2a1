package v1item_test

import (
	"errors"
	"testing"
	"time"

	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/domain/v1item"
)

// Decide must never panic and must accept only figures that Check calls valid.
func FuzzImport(f *testing.F) {
	f.Add("V1-1", "clin", "Dr X", "P-1", 2025, 1, 15, "desc", int64(100), "pending", 2025, 2, 3)
	f.Add("", "", "", "", 0, 0, 0, "", int64(0), "", 0, 0, 0)
	f.Add("V1-\x00", "c", "n\xff", "p", 2024, 2, 30, "d\nx", int64(-5), "PAID", 2025, 13, 1)
	f.Fuzz(func(t *testing.T, ref, clin, name, patient string, y, m, d int, desc string, pence int64, status string, gy, gm, gd int) {
		fig := v1item.Figures{ref, clin, name, patient, ledger.Date{Year: y, Month: time.Month(m), Day: d}, desc,
			money.FromPence(pence), v1item.Status(status)}
		c := v1item.Import{Figures: fig, GoLive: ledger.Date{Year: gy, Month: time.Month(gm), Day: gd},
			ImportedBy: "clerk", At: time.Date(2025, 2, 20, 0, 0, 0, 0, time.UTC), SourceFile: "f.csv", SourceLine: 2}
		evs, err := v1item.Decide(v1item.State{}, c)
		if err != nil {
			if len(evs) != 0 {
				t.Fatal("rejected with events")
			}
			if len(fig.Check()) > 0 && !errors.Is(err, v1item.ErrInvalidFigures) {
				t.Fatalf("invalid figures rejected with %v", err)
			}
			return
		}
		if ps := fig.Check(); len(ps) > 0 {
			t.Fatalf("accepted figures with problems %v", ps)
		}
		if len(evs) != 1 || !fig.WorkDate.Before(c.GoLive) {
			t.Fatalf("accepted %+v as %v", c, evs)
		}
	})
}
