package v1rows_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"ledgerdesk/commands/v1import/v1rows"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/domain/v1item"
)

func row(line int, ref, amount string) v1rows.Row {
	return v1rows.Row{Line: line, Figures: v1item.Figures{Reference: ref, ClinicianID: "clin-1", ClinicianName: "Dr X",
		PatientReference: "P-1", WorkDate: ledger.Date{Year: 2025, Month: 1, Day: 15}, Description: "d",
		Amount: money.GBP(amount), Status: v1item.StatusPending}}
}

func TestPlanImportsReferencesNotSeenBefore(t *testing.T) {
	p := v1rows.Plan([]v1rows.Row{row(2, "A", "1.00"), row(3, "B", "2.50")}, nil)
	if len(p.New) != 2 || p.New[0].Line != 2 || p.New[1].Line != 3 || p.HasConflicts() {
		t.Fatalf("plan = %+v", p)
	}
	if c := p.Counts(); c.Rows != 2 || c.New != 2 || !c.NewTotal.Equal(money.GBP("3.50")) {
		t.Fatalf("counts = %+v", c)
	}
}

func TestPlanSkipsRowsIdenticalToWhatWasImported(t *testing.T) {
	existing := map[string]v1item.Figures{"A": row(9, "A", "1.00").Figures}
	p := v1rows.Plan([]v1rows.Row{row(2, "A", "1.00")}, existing)
	if len(p.Unchanged) != 1 || len(p.New) != 0 || p.HasConflicts() {
		t.Fatalf("plan = %+v", p)
	}
}

func TestPlanCountsARowRepeatedIdenticallyInTheFileOnce(t *testing.T) {
	p := v1rows.Plan([]v1rows.Row{row(2, "A", "1.00"), row(3, "B", "1.00"), row(7, "A", "1.00"), row(9, "A", "1.00")}, nil)
	if len(p.New) != 2 || p.New[0].Line != 2 || len(p.Repeats) != 2 || p.HasConflicts() {
		t.Fatalf("plan = %+v", p)
	}
	if p.Repeats[0] != (v1rows.Repeat{Line: 7, FirstLine: 2, Reference: "A"}) ||
		p.Repeats[0].String() != `line 7 repeats line 2 exactly (v1_reference "A"); it is counted once` {
		t.Fatalf("repeat = %+v %s", p.Repeats[0], p.Repeats[0])
	}
	if c := p.Counts(); c.Rows != 4 || !c.NewTotal.Equal(money.GBP("2.00")) {
		t.Fatalf("counts = %+v", c)
	}
	// A repeat of an item already imported is still one unchanged item.
	p = v1rows.Plan([]v1rows.Row{row(2, "A", "1.00"), row(3, "A", "1.00")}, map[string]v1item.Figures{"A": row(1, "A", "1.00").Figures})
	if len(p.Unchanged) != 1 || len(p.Repeats) != 1 || len(p.New) != 0 {
		t.Fatalf("plan = %+v", p)
	}
}

func TestPlanImportsNeitherRowWhenTheFileDisagreesWithItself(t *testing.T) {
	b := row(5, "A", "1.00")
	b.Status = v1item.StatusPaid
	p := v1rows.Plan([]v1rows.Row{row(2, "A", "1.00"), row(3, "B", "1.00"), row(4, "A", "1.00"), b, row(6, "A", "2.00")},
		map[string]v1item.Figures{"A": row(1, "A", "1.00").Figures})
	if len(p.New) != 1 || p.New[0].Reference != "B" || len(p.Unchanged) != 0 || len(p.ExistingConflicts) != 0 {
		t.Fatalf("plan = %+v", p)
	}
	want := v1rows.FileConflict{Reference: "A", Lines: []int{2, 4, 5, 6}, Fields: []string{"amount", "status"}}
	if len(p.FileConflicts) != 1 || p.FileConflicts[0].Reference != want.Reference ||
		!slices.Equal(p.FileConflicts[0].Lines, want.Lines) || !slices.Equal(p.FileConflicts[0].Fields, want.Fields) {
		t.Fatalf("conflicts = %+v", p.FileConflicts)
	}
	if rows := p.FileConflicts[0].Rows; len(rows) != 4 || rows[2].Status != v1item.StatusPaid || rows[3].Amount.String() != "2.00" {
		t.Fatalf("a file conflict must carry its rows, to be recorded: %+v", rows)
	}
	if got := p.Conflicts(); len(got) != 1 || got[0] != `v1_reference "A" appears on lines 2, 4, 5 and 6 with a different amount, status; none of these lines was imported` {
		t.Fatalf("message = %q", got)
	}
	if c := p.Counts(); c.Rows != 5 || c.FileConflicts != 1 || c.FileConflictRows != 4 {
		t.Fatalf("counts = %+v", c)
	}
}

func TestPlanReportsRowsThatDisagreeWithWhatWasImported(t *testing.T) {
	existing := map[string]v1item.Figures{"A": row(9, "A", "1.00").Figures}
	incoming := row(4, "A", "1.50")
	incoming.ClinicianID = "clin-2"
	p := v1rows.Plan([]v1rows.Row{incoming}, existing)
	if len(p.ExistingConflicts) != 1 || len(p.New)+len(p.Unchanged) != 0 || !p.HasConflicts() {
		t.Fatalf("plan = %+v", p)
	}
	c := p.ExistingConflicts[0]
	if c.Row.Line != 4 || c.Existing != existing["A"] || !slices.Equal(c.Fields, []string{"clinician_id", "amount"}) {
		t.Fatalf("conflict = %+v", c)
	}
	if c.String() != `line 4, v1_reference "A": already imported with a different clinician_id, amount; this line was not imported` {
		t.Fatalf("message = %s", c)
	}
}

// Plan must put every row of the file in exactly one place, never import a reference twice
// or over different figures, and agree with the V1 item decider about what is a conflict.
func TestPlanAccountsForEveryRowExactlyOnceAndNeverImportsAConflict(t *testing.T) {
	const seed = 42
	rng := rand.New(rand.NewPCG(seed, seed))
	amounts := []string{"1.00", "1.00", "1.00", "2.00"}
	for run := range 2000 {
		var rows []v1rows.Row
		for i := range rng.IntN(12) {
			rows = append(rows, row(i+2, fmt.Sprintf("R%d", rng.IntN(5)), amounts[rng.IntN(len(amounts))]))
		}
		existing := map[string]v1item.Figures{}
		for range rng.IntN(4) {
			existing[fmt.Sprintf("R%d", rng.IntN(5))] = row(1, "", amounts[rng.IntN(len(amounts))]).Figures
		}
		for ref, f := range existing {
			f.Reference = ref
			existing[ref] = f
		}
		p := v1rows.Plan(rows, existing)
		fail := func(format string, args ...any) {
			t.Helper()
			t.Fatalf("seed %d run %d: "+format+"\nrows %+v\nexisting %+v\nplan %+v", append(append([]any{seed, run}, args...), rows, existing, p)...)
		}
		placed := map[int]int{}
		for _, r := range p.New {
			placed[r.Line]++
			if _, ok := existing[r.Reference]; ok {
				fail("imported %s which exists", r.Reference)
			}
		}
		for _, r := range p.Unchanged {
			placed[r.Line]++
			if d := existing[r.Reference].Diff(r.Figures); len(d) != 0 {
				fail("unchanged row differs in %v", d)
			}
		}
		for _, r := range p.Repeats {
			placed[r.Line]++
		}
		for _, c := range p.FileConflicts {
			for _, l := range c.Lines {
				placed[l]++
			}
		}
		for _, c := range p.ExistingConflicts {
			placed[c.Row.Line]++
			// The decider must refuse the same import.
			s := v1item.Decider.Fold([]v1item.Event{v1item.V1ItemImported{Reference: c.Existing.Reference, ClinicianID: c.Existing.ClinicianID,
				ClinicianName: c.Existing.ClinicianName, PatientReference: c.Existing.PatientReference, WorkDate: c.Existing.WorkDate,
				Description: c.Existing.Description, Amount: c.Existing.Amount, Status: c.Existing.Status}})
			goLive := ledger.Date{Year: 2025, Month: 2, Day: 3}
			if _, err := v1item.Decide(s, c.Row.Command(goLive, "clerk", "f.csv", time20Feb)); err == nil {
				fail("decider accepts a row the plan calls a conflict")
			}
		}
		for _, r := range rows {
			if placed[r.Line] != 1 {
				fail("line %d placed %d times", r.Line, placed[r.Line])
			}
		}
		if c := p.Counts(); c.Rows != len(rows) {
			fail("counts %+v for %d rows", c, len(rows))
		}
		refs := map[string]bool{}
		for _, r := range p.New {
			if refs[r.Reference] {
				fail("%s imported twice", r.Reference)
			}
			refs[r.Reference] = true
		}
		if p.HasConflicts() != (len(p.Conflicts()) > 0) || (len(p.Conflicts()) > 0 && !strings.HasSuffix(p.Conflicts()[0], "imported")) {
			fail("conflict report inconsistent")
		}
	}
}

var time20Feb = time.Date(2025, 2, 20, 9, 0, 0, 0, ledger.London)
