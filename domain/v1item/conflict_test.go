package v1item_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"ledgerdesk/domain/money"
	"ledgerdesk/domain/v1item"
)

var recordedAt = feb21.Add(3 * time.Hour)

func variant(f v1item.Figures, lines ...int) v1item.Variant {
	return v1item.Variant{Figures: f, Lines: lines}
}

func conflictOf(vs ...v1item.Variant) v1item.RecordConflict {
	return v1item.RecordConflict{Variants: vs, SourceFile: "march-export.csv", By: "clerk-5", At: recordedAt}
}

func rowOf(f v1item.Figures, lines ...int) v1item.ConflictingRow {
	return v1item.ConflictingRow{Lines: lines, ClinicianID: f.ClinicianID, ClinicianName: f.ClinicianName,
		PatientReference: f.PatientReference, WorkDate: f.WorkDate, Description: f.Description, Amount: f.Amount, Status: f.Status}
}

func recorded(withExisting bool, fields []string, rows ...v1item.ConflictingRow) v1item.ImportConflictRecorded {
	return v1item.ImportConflictRecorded{Reference: figures.Reference, Fields: fields, WithExisting: withExisting,
		Variants: rows, SourceFile: "march-export.csv", RecordedBy: "clerk-5", At: recordedAt}
}

var dearer = with(func(f *v1item.Figures) { f.Amount = money.GBP("300.00") })

func TestFiguresDisagreeingWithTheItemOnRecordAreRecordedAsAConflict(t *testing.T) {
	spec().Given(importedOf(figures)).When(conflictOf(variant(dearer, 40))).
		Then(t, recorded(true, []string{"amount"}, rowOf(dearer, 40)))
}

func TestOneFileGivingAReferenceDifferentFiguresIsRecordedAsAConflictWithoutImporting(t *testing.T) {
	later := with(func(f *v1item.Figures) { f.Amount = money.GBP("300.00"); f.Status = v1item.StatusPaid })
	// Lines are merged per set of figures and the variants ordered by their first line.
	spec().When(conflictOf(variant(later, 9), variant(figures, 3), variant(figures, 12))).
		Then(t, recorded(false, []string{"amount", "status"}, rowOf(figures, 3, 12), rowOf(later, 9)))
	spec().When(conflictOf(variant(figures, 3), variant(later, 9))).ThenState(t, func(t testing.TB, s v1item.State) {
		if s.Imported() || s.Outstanding() || s.ConflictsRecorded() != 1 {
			t.Fatalf("a conflict must not import the item: %+v", s)
		}
	})
}

func TestAConflictNeverChangesTheItemOnRecord(t *testing.T) {
	spec().Given(importedOf(figures), recorded(true, []string{"amount"}, rowOf(dearer, 40))).When(tickCmd).
		Then(t, v1item.TickedOff{Reference: figures.Reference, By: tickCmd.By, At: tickCmd.At, Note: tickCmd.Note})
	s := v1item.Decider.Fold([]v1item.Event{importedOf(figures), recorded(true, []string{"amount"}, rowOf(dearer, 40))})
	if s.Figures() != figures || !s.Outstanding() || s.ConflictsRecorded() != 1 {
		t.Fatalf("state = %+v", s)
	}
}

func TestTheSameConflictMetAgainIsRecordedOnce(t *testing.T) {
	again := conflictOf(variant(dearer, 77))
	again.SourceFile, again.By, again.At = "same-export-renamed.csv", "clerk-6", recordedAt.Add(time.Hour)
	spec().Given(importedOf(figures), recorded(true, []string{"amount"}, rowOf(dearer, 40))).When(again).Then(t)
	// Another disagreement about the same item is new information.
	other := with(func(f *v1item.Figures) { f.Amount = money.GBP("301.00") })
	spec().Given(importedOf(figures), recorded(true, []string{"amount"}, rowOf(dearer, 40))).When(conflictOf(variant(other, 41))).
		Then(t, recorded(true, []string{"amount"}, rowOf(other, 41)))
}

func TestFiguresThatAgreeAreNoConflict(t *testing.T) {
	spec().When(conflictOf(variant(figures, 3))).ThenError(t, v1item.ErrNoConflict)
	spec().When(conflictOf(variant(figures, 3), variant(figures, 5))).ThenError(t, v1item.ErrNoConflict)
	spec().Given(importedOf(figures)).When(conflictOf(variant(figures, 3))).ThenError(t, v1item.ErrNoConflict)
}

func TestRecordConflictRejectsIncompleteCommands(t *testing.T) {
	elsewhere := with(func(f *v1item.Figures) { f.Reference = "V1-999" })
	many := make([]v1item.Variant, v1item.MaxVariants+1)
	for i := range many {
		many[i] = variant(with(func(f *v1item.Figures) { f.Amount = money.FromPence(int64(100 + i)) }), i+2)
	}
	for _, tc := range []struct {
		name   string
		change func(*v1item.RecordConflict)
		want   error
	}{
		{"no variants", func(c *v1item.RecordConflict) { c.Variants = nil }, v1item.ErrInvalidInput},
		{"too many variants", func(c *v1item.RecordConflict) { c.Variants = many }, v1item.ErrInvalidInput},
		{"two references", func(c *v1item.RecordConflict) { c.Variants[1] = variant(elsewhere, 4) }, v1item.ErrInvalidInput},
		{"no lines", func(c *v1item.RecordConflict) { c.Variants[1].Lines = nil }, v1item.ErrInvalidInput},
		{"line 0", func(c *v1item.RecordConflict) { c.Variants[1].Lines = []int{0} }, v1item.ErrInvalidInput},
		{"invalid figures", func(c *v1item.RecordConflict) { c.Variants[1].Amount = money.Zero }, v1item.ErrInvalidFigures},
		{"no recorder", func(c *v1item.RecordConflict) { c.By = "" }, v1item.ErrInvalidInput},
		{"no time", func(c *v1item.RecordConflict) { c.At = time.Time{} }, v1item.ErrInvalidInput},
		{"no source file", func(c *v1item.RecordConflict) { c.SourceFile = "" }, v1item.ErrInvalidInput},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := conflictOf(variant(figures, 3), variant(dearer, 4))
			c.Variants = append([]v1item.Variant(nil), c.Variants...)
			tc.change(&c)
			spec().When(c).ThenError(t, tc.want)
		})
	}
}

// The conflict event holds personal data inside its variants; it must still round-trip so
// that a state folded from the store recognises the same conflict met again.
func TestAConflictEventSurvivesJSON(t *testing.T) {
	e := recorded(true, []string{"amount", "description"}, rowOf(with(func(f *v1item.Figures) {
		f.Description, f.Amount = "Report \"x\",\nline 2", money.GBP("1234.5")
	}), 2, 9))
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	var back v1item.ImportConflictRecorded
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if string(mustJSON(t, back)) != string(b) || !strings.Contains(string(b), `"lines":[2,9]`) {
		t.Fatalf("round trip: %s vs %s", mustJSON(t, back), b)
	}
	spec().Given(importedOf(figures), back).When(conflictOf(variant(back.Variants[0].Figures(figures.Reference), 5))).Then(t)
}

func TestAFingerprintChangesExactlyWhenTheFiguresDo(t *testing.T) {
	if figures.Fingerprint() != with(func(*v1item.Figures) {}).Fingerprint() {
		t.Fatal("equal figures, different fingerprints")
	}
	for _, f := range v1item.Fields() {
		changed := with(func(g *v1item.Figures) {
			switch f {
			case v1item.FieldReference:
				g.Reference += "x"
			case v1item.FieldClinicianID:
				g.ClinicianID += "x"
			case v1item.FieldClinicianName:
				g.ClinicianName += "x"
			case v1item.FieldPatientReference:
				g.PatientReference += "x"
			case v1item.FieldWorkDate:
				g.WorkDate.Day++
			case v1item.FieldDescription:
				g.Description += "x"
			case v1item.FieldAmount:
				g.Amount = g.Amount.Add(money.FromPence(1))
			case v1item.FieldStatus:
				g.Status = v1item.StatusPaid
			}
		})
		if changed.Fingerprint() == figures.Fingerprint() {
			t.Errorf("changing %s kept the fingerprint", f)
		}
	}
	// Length prefixes keep field boundaries: moving text between fields is a change.
	a := with(func(f *v1item.Figures) { f.ClinicianName, f.PatientReference = "Dr AB", "C" })
	b := with(func(f *v1item.Figures) { f.ClinicianName, f.PatientReference = "Dr A", "BC" })
	if a.Fingerprint() == b.Fingerprint() {
		t.Error("fingerprint ignores field boundaries")
	}
}
