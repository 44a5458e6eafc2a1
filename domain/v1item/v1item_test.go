package v1item_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"ledgerdesk/domain/decider/decidertest"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/domain/v1item"
)

var (
	goLive  = ledger.Date{Year: 2025, Month: time.February, Day: 3}
	jan15   = ledger.Date{Year: 2025, Month: time.January, Day: 15}
	feb20   = time.Date(2025, 2, 20, 10, 0, 0, 0, ledger.London)
	feb21   = time.Date(2025, 2, 21, 10, 0, 0, 0, ledger.London)
	figures = v1item.Figures{
		Reference: "V1-000123", ClinicianID: "clin-7", ClinicianName: "Dr Ada Lovelace",
		PatientReference: "P-4411", WorkDate: jan15, Description: "Psychiatric report, 2 pages",
		Amount: money.GBP("250.00"), Status: v1item.StatusPending,
	}
)

func spec() *decidertest.Spec[v1item.State, v1item.Command, v1item.Event] {
	return decidertest.For(v1item.Decide, v1item.Evolve)
}

func importOf(f v1item.Figures) v1item.Import {
	return v1item.Import{Figures: f, GoLive: goLive, ImportedBy: "clerk-1", At: feb20, SourceFile: "v1-export.csv", SourceLine: 14}
}

func importedOf(f v1item.Figures) v1item.V1ItemImported {
	return v1item.V1ItemImported{
		Reference: f.Reference, ClinicianID: f.ClinicianID, ClinicianName: f.ClinicianName,
		PatientReference: f.PatientReference, WorkDate: f.WorkDate, Description: f.Description,
		Amount: f.Amount, Status: f.Status, GoLive: goLive, Ledger: ledger.V1,
		ImportedBy: "clerk-1", At: feb20, SourceFile: "v1-export.csv", SourceLine: 14,
	}
}

func with(change func(*v1item.Figures)) v1item.Figures {
	f := figures
	change(&f)
	return f
}

var (
	paid    = with(func(f *v1item.Figures) { f.Status = v1item.StatusPaid })
	ticked  = v1item.TickedOff{Reference: figures.Reference, By: "clerk-2", At: feb21, Note: "BACS 21/02"}
	undone  = v1item.TickOffUndone{Reference: figures.Reference, By: "clerk-2", At: feb21.Add(time.Hour), Reason: "wrong row"}
	tickCmd = v1item.TickOff{By: "clerk-3", At: feb21.Add(2 * time.Hour), Note: "paid by cheque"}
)

func TestImportingAPendingItemRecordsItsFigures(t *testing.T) {
	spec().When(importOf(figures)).Then(t, importedOf(figures))
	spec().When(importOf(figures)).ThenState(t, func(t testing.TB, s v1item.State) {
		if !s.Imported() || !s.Outstanding() || s.SettledInV1() || s.Figures() != figures {
			t.Fatalf("state after import = %+v", s)
		}
	})
}

func TestAnItemPaidInV1IsImportedAsSettled(t *testing.T) {
	spec().When(importOf(paid)).Then(t, importedOf(paid))
	spec().When(importOf(paid)).ThenState(t, func(t testing.TB, s v1item.State) {
		if !s.SettledInV1() || s.Outstanding() {
			t.Fatalf("an item paid in V1 must not be outstanding: %+v", s)
		}
	})
}

func TestImportingIdenticalFiguresAgainRecordsNothing(t *testing.T) {
	again := importOf(figures)
	again.ImportedBy, again.At, again.SourceFile, again.SourceLine = "clerk-9", feb21, "later-export.csv", 99
	spec().Given(importedOf(figures)).When(again).Then(t)
	spec().Given(importedOf(figures), ticked).When(again).Then(t)
	spec().Given(importedOf(paid)).When(importOf(paid)).Then(t)
}

func TestImportingDifferentFiguresForTheSameReferenceIsAConflict(t *testing.T) {
	for _, tc := range []struct {
		field  string
		change func(*v1item.Figures)
	}{
		{v1item.FieldClinicianID, func(f *v1item.Figures) { f.ClinicianID = "clin-8" }},
		{v1item.FieldClinicianName, func(f *v1item.Figures) { f.ClinicianName = "Dr A. Lovelace" }},
		{v1item.FieldPatientReference, func(f *v1item.Figures) { f.PatientReference = "P-4412" }},
		{v1item.FieldWorkDate, func(f *v1item.Figures) { f.WorkDate = ledger.Date{Year: 2025, Month: 1, Day: 16} }},
		{v1item.FieldDescription, func(f *v1item.Figures) { f.Description = "Letter" }},
		{v1item.FieldAmount, func(f *v1item.Figures) { f.Amount = money.GBP("250.01") }},
		{v1item.FieldStatus, func(f *v1item.Figures) { f.Status = v1item.StatusPaid }},
	} {
		t.Run(tc.field, func(t *testing.T) {
			incoming := with(tc.change)
			spec().Given(importedOf(figures)).When(importOf(incoming)).ThenError(t, v1item.ErrConflictingFigures)
			_, err := v1item.Decide(v1item.Decider.Fold([]v1item.Event{importedOf(figures)}), importOf(incoming))
			var ce *v1item.ConflictError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v is not a *ConflictError", err)
			}
			if !slices.Equal(ce.Fields, []string{tc.field}) || ce.Existing != figures || ce.Incoming != incoming ||
				ce.ExistingFile != "v1-export.csv" || ce.ExistingLine != 14 {
				t.Fatalf("conflict = %+v", ce)
			}
			if !strings.Contains(err.Error(), tc.field) || !strings.Contains(err.Error(), "V1-000123") {
				t.Fatalf("message %q does not name the reference and the field", err)
			}
		})
	}
}

func TestAConflictListsEveryDifferingFieldAndNoPersonalData(t *testing.T) {
	incoming := with(func(f *v1item.Figures) {
		f.Amount, f.Status, f.ClinicianName = money.GBP("300.00"), v1item.StatusPaid, "Dr Grace Hopper"
	})
	_, err := v1item.Decide(v1item.Decider.Fold([]v1item.Event{importedOf(figures)}), importOf(incoming))
	var ce *v1item.ConflictError
	if !errors.As(err, &ce) || !slices.Equal(ce.Fields, []string{"clinician_name", "amount", "status"}) {
		t.Fatalf("conflict = %v", err)
	}
	if strings.Contains(err.Error(), "Grace") || strings.Contains(err.Error(), "Ada") {
		t.Fatalf("message %q leaks a name", err)
	}
}

// V1's export may hold work dated on or after go-live. It is in V1's books, so it is
// imported, but the event says once and for all that the work date puts it in V2's ledger.
func TestWorkOnOrAfterGoLiveIsImportedAndRecordedAsV2Work(t *testing.T) {
	for _, tc := range []struct {
		date ledger.Date
		want ledger.Ledger
	}{
		{ledger.Date{Year: 2025, Month: 2, Day: 2}, ledger.V1},
		{goLive, ledger.V2},
		{ledger.Date{Year: 2025, Month: time.March, Day: 1}, ledger.V2},
	} {
		f := with(func(f *v1item.Figures) { f.WorkDate = tc.date })
		want := importedOf(f)
		want.Ledger = tc.want
		spec().When(importOf(f)).Then(t, want)
		spec().When(importOf(f)).ThenState(t, func(t testing.TB, s v1item.State) {
			if s.Ledger() != tc.want || !s.Outstanding() {
				t.Fatalf("work on %s: state %+v, want ledger %s and outstanding", tc.date, s, tc.want)
			}
		})
	}
}

func TestImportRejectsInvalidFigures(t *testing.T) {
	for _, tc := range []struct {
		name   string
		field  string
		change func(*v1item.Figures)
	}{
		{"empty reference", "v1_reference", func(f *v1item.Figures) { f.Reference = "" }},
		{"padded reference", "v1_reference", func(f *v1item.Figures) { f.Reference = " V1-1" }},
		{"long reference", "v1_reference", func(f *v1item.Figures) { f.Reference = strings.Repeat("x", 65) }},
		{"reference with a newline", "v1_reference", func(f *v1item.Figures) { f.Reference = "V1\n1" }},
		{"empty clinician", "clinician_id", func(f *v1item.Figures) { f.ClinicianID = "" }},
		{"empty clinician name", "clinician_name", func(f *v1item.Figures) { f.ClinicianName = "" }},
		{"invalid UTF-8 name", "clinician_name", func(f *v1item.Figures) { f.ClinicianName = "Dr \xa3" }},
		{"empty patient", "patient_reference", func(f *v1item.Figures) { f.PatientReference = "" }},
		{"no work date", "work_date", func(f *v1item.Figures) { f.WorkDate = ledger.Date{} }},
		{"30 February", "work_date", func(f *v1item.Figures) { f.WorkDate = ledger.Date{Year: 2024, Month: 2, Day: 30} }},
		{"year 1999", "work_date", func(f *v1item.Figures) { f.WorkDate = ledger.Date{Year: 1999, Month: 2, Day: 3} }},
		{"description with a NUL", "description", func(f *v1item.Figures) { f.Description = "a\x00b" }},
		{"long description", "description", func(f *v1item.Figures) { f.Description = strings.Repeat("x", 2001) }},
		{"zero amount", "amount", func(f *v1item.Figures) { f.Amount = money.Zero }},
		{"negative amount", "amount", func(f *v1item.Figures) { f.Amount = money.GBP("-1.00") }},
		{"huge amount", "amount", func(f *v1item.Figures) { f.Amount = money.GBP("1000000.01") }},
		{"unknown status", "status", func(f *v1item.Figures) { f.Status = "settled" }},
		{"no status", "status", func(f *v1item.Figures) { f.Status = "" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec().When(importOf(with(tc.change))).ThenError(t, v1item.ErrInvalidFigures)
			_, err := v1item.Decide(v1item.State{}, importOf(with(tc.change)))
			if !strings.Contains(err.Error(), "field "+tc.field+":") {
				t.Fatalf("message %q does not name field %s", err, tc.field)
			}
		})
	}
}

func TestAMultiLineDescriptionIsAccepted(t *testing.T) {
	f := with(func(f *v1item.Figures) { f.Description = "Report\n\tpart 2, with a comma" })
	spec().When(importOf(f)).Then(t, importedOf(f))
	spec().When(importOf(with(func(f *v1item.Figures) { f.Description = "" }))).
		Then(t, importedOf(with(func(f *v1item.Figures) { f.Description = "" })))
}

func TestImportRejectsAMissingWhoWhenOrWhere(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*v1item.Import)
		want   error
	}{
		{"no go-live", func(c *v1item.Import) { c.GoLive = ledger.Date{} }, v1item.ErrInvalidInput},
		{"impossible go-live", func(c *v1item.Import) { c.GoLive = ledger.Date{Year: 2025, Month: 2, Day: 31} }, v1item.ErrInvalidInput},
		{"no importer", func(c *v1item.Import) { c.ImportedBy = "" }, v1item.ErrInvalidInput},
		{"no time", func(c *v1item.Import) { c.At = time.Time{} }, v1item.ErrInvalidInput},
		{"time in year 10000", func(c *v1item.Import) { c.At = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }, v1item.ErrInvalidInput},
		{"no source file", func(c *v1item.Import) { c.SourceFile = "" }, v1item.ErrInvalidInput},
		{"line 0", func(c *v1item.Import) { c.SourceLine = 0 }, v1item.ErrInvalidInput},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := importOf(figures)
			tc.change(&c)
			spec().When(c).ThenError(t, tc.want)
			spec().Given(importedOf(figures)).When(c).ThenError(t, tc.want)
		})
	}
}

func TestTickingOffSettlesAnOutstandingItem(t *testing.T) {
	want := v1item.TickedOff{Reference: figures.Reference, By: tickCmd.By, At: tickCmd.At, Note: tickCmd.Note}
	spec().Given(importedOf(figures)).When(tickCmd).Then(t, want)
	spec().Given(importedOf(figures), ticked, undone).When(tickCmd).Then(t, want)
	spec().Given(importedOf(figures)).When(v1item.TickOff{By: "clerk-3", At: feb21}).
		Then(t, v1item.TickedOff{Reference: figures.Reference, By: "clerk-3", At: feb21})
	spec().Given(importedOf(figures)).When(tickCmd).ThenState(t, func(t testing.TB, s v1item.State) {
		if by, _, ok := s.TickedOff(); !ok || by != "clerk-3" || s.Outstanding() {
			t.Fatalf("state after tick = %+v", s)
		}
	})
}

func TestAnItemCannotBeTickedOffTwice(t *testing.T) {
	spec().Given(importedOf(figures), ticked).When(tickCmd).ThenError(t, v1item.ErrAlreadyTickedOff)
}

func TestAnItemPaidInV1CannotBeTickedOff(t *testing.T) {
	spec().Given(importedOf(paid)).When(tickCmd).ThenError(t, v1item.ErrSettledInV1)
}

func TestAnItemMustBeImportedBeforeItIsTickedOrUntick(t *testing.T) {
	spec().When(tickCmd).ThenError(t, v1item.ErrNotImported)
	spec().When(v1item.UndoTickOff{By: "clerk-2", At: feb21, Reason: "oops"}).ThenError(t, v1item.ErrNotImported)
}

func TestTickOffRejectsMissingFields(t *testing.T) {
	for _, c := range []v1item.TickOff{
		{At: feb21},
		{By: "clerk-1"},
		{By: "clerk-1", At: feb21, Note: "bad\x07bell"},
		{By: "clerk-1", At: feb21, Note: strings.Repeat("x", 2001)},
	} {
		spec().Given(importedOf(figures)).When(c).ThenError(t, v1item.ErrInvalidInput)
	}
}

func TestUndoingATickMakesTheItemOutstandingAgain(t *testing.T) {
	c := v1item.UndoTickOff{By: "clerk-4", At: feb21.Add(time.Hour), Reason: "ticked the wrong row"}
	spec().Given(importedOf(figures), ticked).When(c).
		Then(t, v1item.TickOffUndone{Reference: figures.Reference, By: c.By, At: c.At, Reason: c.Reason})
	spec().Given(importedOf(figures), ticked).When(c).ThenState(t, func(t testing.TB, s v1item.State) {
		if _, _, ok := s.TickedOff(); ok || !s.Outstanding() {
			t.Fatalf("state after undo = %+v", s)
		}
	})
}

func TestOnlyATickCanBeUndone(t *testing.T) {
	c := v1item.UndoTickOff{By: "clerk-4", At: feb21, Reason: "why not"}
	spec().Given(importedOf(figures)).When(c).ThenError(t, v1item.ErrNotTickedOff)
	spec().Given(importedOf(figures), ticked, undone).When(c).ThenError(t, v1item.ErrNotTickedOff)
	spec().Given(importedOf(paid)).When(c).ThenError(t, v1item.ErrNotTickedOff)
}

func TestUndoTickOffNeedsWhoWhenAndWhy(t *testing.T) {
	for _, c := range []v1item.UndoTickOff{
		{At: feb21, Reason: "r"},
		{By: "clerk-1", Reason: "r"},
		{By: "clerk-1", At: feb21},
		{By: "clerk-1", At: feb21, Reason: "  "},
	} {
		spec().Given(importedOf(figures), ticked).When(c).ThenError(t, v1item.ErrInvalidInput)
	}
}

func TestANilCommandIsRejectedNotPanicked(t *testing.T) {
	spec().When(nil).ThenError(t, v1item.ErrUnknownCommand)
}

func TestParseStatusIgnoresCaseAndSpaces(t *testing.T) {
	for in, want := range map[string]v1item.Status{"pending": "pending", " PAID ": "paid", "Pending\t": "pending"} {
		if got, err := v1item.ParseStatus(in); err != nil || got != want {
			t.Errorf("ParseStatus(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "settled", "pai d", "paid."} {
		if _, err := v1item.ParseStatus(in); !errors.Is(err, v1item.ErrInvalidStatus) {
			t.Errorf("ParseStatus(%q) accepted", in)
		}
	}
}

func TestPersonalDataIsTaggedAndKeyedToThePeopleItConcerns(t *testing.T) {
	want := map[string][]string{
		"V1ItemImported":         {"ClinicianName", "Description"},
		"TickedOff":              {"Note"},
		"TickOffUndone":          {"Reason"},
		"ImportConflictRecorded": {"Variants.ClinicianName", "Variants.Description"},
	}
	for _, e := range v1item.EventTypes() {
		if _, ok := e.(interface{ DataSubject() string }); !ok {
			t.Fatalf("%T carries personal data but has no DataSubject", e)
		}
		typ := reflect.TypeOf(e)
		var tagged []string
		var walk func(reflect.Type, string)
		walk = func(typ reflect.Type, prefix string) {
			for f := range typ.Fields() {
				if f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.Struct {
					walk(f.Type.Elem(), prefix+f.Name+".")
				}
				if f.Tag.Get("pii") == "true" {
					if f.Type.Kind() != reflect.String {
						t.Errorf("%s.%s is tagged pii but is not a string", typ.Name(), f.Name)
					}
					tagged = append(tagged, prefix+f.Name)
				}
			}
		}
		walk(typ, "")
		if !slices.Equal(tagged, want[typ.Name()]) {
			t.Errorf("%s tags %v as personal data, want %v", typ.Name(), tagged, want[typ.Name()])
		}
	}
	if got := importedOf(figures).DataSubject(); got != "v1work-6:clin-7/P-4411" || got != v1item.WorkSubject("clin-7", "P-4411") {
		t.Fatalf("DataSubject = %q", got)
	}
	if v1item.WorkSubject("a/b", "c") == v1item.WorkSubject("a", "b/c") {
		t.Fatal("two different pairs share a data subject")
	}
	if ticked.DataSubject() != v1item.StreamID(figures.Reference) || undone.DataSubject() != v1item.StreamID(figures.Reference) {
		t.Fatal("tick events must be keyed to the item")
	}
}

// A replayed import must compare identical to the same row imported again, or every
// re-import after a restart would look like a conflict.
func TestEventsSurviveJSONSoARepeatImportStaysIdentical(t *testing.T) {
	f := with(func(f *v1item.Figures) {
		f.Description = "Report \u00e9\n\"quoted\", £5"
		f.Amount = money.GBP("1234.5")
	})
	for _, e := range []v1item.Event{importedOf(f), ticked, undone} {
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		back := reflect.New(reflect.TypeOf(e))
		if err := json.Unmarshal(b, back.Interface()); err != nil {
			t.Fatalf("%T: %v", e, err)
		}
		got := back.Elem().Interface().(v1item.Event)
		if imp, ok := got.(v1item.V1ItemImported); ok {
			if len(imp.Figures().Diff(f)) != 0 || !imp.At.Equal(feb20) {
				t.Fatalf("round trip changed the figures: %+v", imp)
			}
			spec().Given(imp).When(importOf(f)).Then(t)
			continue
		}
		if !reflect.DeepEqual(mustJSON(t, got), b) {
			t.Fatalf("%T round trip: %s vs %s", e, mustJSON(t, got), b)
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestEventTypesAreDistinctAndVersioned(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range v1item.EventTypes() {
		n := e.EventType()
		if seen[n] || !strings.HasPrefix(n, "v1item.") || !strings.HasSuffix(n, ".v1") {
			t.Errorf("bad or duplicate event type %q", n)
		}
		seen[n] = true
	}
	if len(seen) != 4 {
		t.Fatalf("%d event types", len(seen))
	}
}
