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
		if len(evs) != 1 {
			t.Fatalf("accepted %+v as %v", c, evs)
		}
		if imported, ok := evs[0].(v1item.V1ItemImported); !ok || imported.Ledger != ledger.For(fig.WorkDate, c.GoLive) {
			t.Fatalf("accepted %+v as %v", c, evs)
		}
	})
}

// RecordConflict must never panic, and records only a real disagreement between valid
// figures, naming at least one differing column.
func FuzzRecordConflict(f *testing.F) {
	f.Add("V1-1", "clin", "Dr X", "P-1", int64(100), int64(200), "pending", "paid", 2, 3, true)
	f.Add("V1-1", "clin", "Dr X", "P-1", int64(100), int64(100), "pending", "pending", 2, 2, false)
	f.Add("", "", "", "", int64(0), int64(-1), "", "x", 0, -1, true)
	f.Fuzz(func(t *testing.T, ref, clin, name, patient string, p1, p2 int64, s1, s2 string, l1, l2 int, imported bool) {
		a := v1item.Figures{ref, clin, name, patient, ledger.Date{Year: 2025, Month: 1, Day: 15}, "d", money.FromPence(p1), v1item.Status(s1)}
		b := a
		b.Amount, b.Status = money.FromPence(p2), v1item.Status(s2)
		var s v1item.State
		if imported {
			s = v1item.Decider.Fold([]v1item.Event{v1item.V1ItemImported{Reference: ref, ClinicianID: clin, ClinicianName: name,
				PatientReference: patient, WorkDate: a.WorkDate, Description: "d", Amount: money.FromPence(p1), Status: v1item.Status(s1)}})
		}
		c := v1item.RecordConflict{Variants: []v1item.Variant{{Figures: a, Lines: []int{l1}}, {Figures: b, Lines: []int{l2}}},
			SourceFile: "f.csv", By: "clerk", At: time.Date(2025, 2, 20, 0, 0, 0, 0, time.UTC)}
		evs, err := v1item.Decide(s, c)
		if err != nil {
			if len(evs) != 0 {
				t.Fatal("rejected with events")
			}
			return
		}
		if len(a.Check()) > 0 || len(b.Check()) > 0 {
			t.Fatalf("recorded a conflict between invalid figures %+v, %+v", a, b)
		}
		for _, e := range evs {
			rec := e.(v1item.ImportConflictRecorded)
			if len(rec.Fields) == 0 || len(rec.Variants) == 0 || len(rec.Variants) > 2 {
				t.Fatalf("conflict %+v", rec)
			}
		}
	})
}
