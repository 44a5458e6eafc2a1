package v1import_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"ledgerdesk/codec"

	"ledgerdesk/adapters/v1csv"
	"ledgerdesk/commands"
	"ledgerdesk/commands/v1import"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/v1item"
	"ledgerdesk/eventstore"
)

const (
	rowA = "V1-A,clin-1,Dr Ada Lovelace,P-1,2025-01-15,Consultation,\"£1,234.50\",pending\n"
	rowB = "V1-B,clin-1,Dr Ada Lovelace,P-2,15/01/2025,\"Report, 2 pages\",250.00,PAID\n"
	rowC = "V1-C,clin-2,Dr Alan Turing,P-3,2025-01-20,Letter,75.00,pending\n"
)

func loadItem(t *testing.T, deps commands.Deps, ref string) v1item.State {
	t.Helper()
	s, _, err := commands.Load(context.Background(), deps, v1item.Decider, v1item.StreamID(ref))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func eventTypesIn(evs []eventstore.RecordedEvent) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.Type)
	}
	return out
}

func TestEachRowBecomesAnItemInItsOwnStream(t *testing.T) {
	t.Parallel()
	deps, store := memDeps(t)
	rep, err := importText(t, deps, header+rowA+rowB+rowC, options("jan.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported != 3 || len(rep.Plan.New) != 3 || rep.GoLive != goLive {
		t.Fatalf("report = %+v", rep)
	}
	streams := itemStreams(t, store)
	if len(streams) != 3 {
		t.Fatalf("streams = %v", streams)
	}
	a := loadItem(t, deps, "V1-A")
	if !a.Outstanding() || a.Figures().Amount.String() != "1234.50" || a.Ledger() != ledger.V1 {
		t.Fatalf("V1-A = %+v", a)
	}
	if b := loadItem(t, deps, "V1-B"); !b.SettledInV1() {
		t.Fatalf("a row with status paid is imported as settled in V1: %+v", b)
	}
	m, err := codec.ParseMetadata(streams["v1item-V1-A"][0].Metadata)
	if err != nil || m.Actor != "clerk-1" || m.CommandID != v1import.ImportCommandID(a.Figures()) {
		t.Fatalf("metadata = %+v, %v", m, err)
	}
}

func TestImportingTheSameFileAgainChangesNothing(t *testing.T) {
	t.Parallel()
	deps, store := memDeps(t)
	text := header + rowA + rowB + rowC
	if _, err := importText(t, deps, text, options("jan.csv")); err != nil {
		t.Fatal(err)
	}
	before := itemStreams(t, store)
	again := options("jan-copy.csv")
	again.By = "clerk-2"
	rep, err := importText(t, deps, text, again)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported != 0 || len(rep.Plan.Unchanged) != 3 || len(rep.Plan.New) != 0 {
		t.Fatalf("second import = %+v", rep.Plan.Counts())
	}
	if after := itemStreams(t, store); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatal("the second import appended events")
	}
}

func TestARowRepeatedIdenticallyCountsOnce(t *testing.T) {
	t.Parallel()
	deps, store := memDeps(t)
	rep, err := importText(t, deps, header+rowA+rowB+rowA, options("jan.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported != 2 || len(rep.Plan.Repeats) != 1 || rep.Plan.Repeats[0].Line != 4 || rep.Plan.Repeats[0].FirstLine != 2 {
		t.Fatalf("report = %+v", rep.Plan)
	}
	if n := len(itemStreams(t, store)["v1item-V1-A"]); n != 1 {
		t.Fatalf("V1-A has %d events", n)
	}
}

func TestOneFileGivingAReferenceDifferentFiguresImportsNeitherAndRecordsTheConflict(t *testing.T) {
	t.Parallel()
	deps, store := memDeps(t)
	other := strings.Replace(rowA, "\"£1,234.50\"", "1234.00", 1)
	text := header + rowA + rowB + other
	rep, err := importText(t, deps, text, options("jan.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported != 1 || rep.ConflictsRecorded != 1 || len(rep.Plan.FileConflicts) != 1 {
		t.Fatalf("report = %+v", rep)
	}
	a := loadItem(t, deps, "V1-A")
	if a.Imported() || a.ConflictsRecorded() != 1 {
		t.Fatalf("V1-A = %+v: a conflicting reference must not be imported", a)
	}
	evs := itemStreams(t, store)["v1item-V1-A"]
	if got := eventTypesIn(evs); !slices.Equal(got, []string{"v1item.import_conflict_recorded.v1"}) {
		t.Fatalf("V1-A events = %v", got)
	}
	e, err := deps.Codec.Decode(context.Background(), evs[0].Type, evs[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	c := e.(v1item.ImportConflictRecorded)
	if !slices.Equal(c.Fields, []string{"amount"}) || len(c.Variants) != 2 || c.Variants[0].Lines[0] != 2 || c.Variants[1].Lines[0] != 4 || c.WithExisting {
		t.Fatalf("conflict = %+v", c)
	}
	// The same file again: the conflict is already on record and nothing changes.
	rep, err = importText(t, deps, text, options("jan.csv"))
	if err != nil || rep.ConflictsRecorded != 0 || rep.ConflictsAlreadyRecorded != 1 || rep.Imported != 0 {
		t.Fatalf("re-import = %+v, %v", rep, err)
	}
	if n := len(itemStreams(t, store)["v1item-V1-A"]); n != 1 {
		t.Fatalf("the conflict was recorded %d times", n)
	}
}

func TestFiguresDifferingFromTheItemOnRecordAreAConflictAndChangeNothing(t *testing.T) {
	t.Parallel()
	deps, _ := memDeps(t)
	if _, err := importText(t, deps, header+rowA, options("jan.csv")); err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(rowA, "pending", "paid", 1)
	rep, err := importText(t, deps, header+rowC+changed, options("feb.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported != 1 || rep.ConflictsRecorded != 1 || len(rep.Plan.ExistingConflicts) != 1 ||
		!slices.Equal(rep.Plan.ExistingConflicts[0].Fields, []string{"status"}) {
		t.Fatalf("report = %+v", rep)
	}
	a := loadItem(t, deps, "V1-A")
	if a.Figures().Status != v1item.StatusPending || a.ConflictsRecorded() != 1 {
		t.Fatalf("V1-A = %+v: the figures on record must not change", a)
	}
}

func TestInvalidRowsImportNothingUnlessTheyAreSkipped(t *testing.T) {
	t.Parallel()
	text := header + rowA + "V1-X,clin-1,Dr X,P-9,2025-02-30,d,12.345,maybe\n" + rowC + "V1-Y,,Dr Y,P-9,2025-01-02,d,1.00,pending\n"
	deps, store := memDeps(t)
	rep, err := importText(t, deps, text, options("jan.csv"))
	if !errors.Is(err, v1import.ErrInvalidRows) {
		t.Fatalf("err = %v", err)
	}
	if len(itemStreams(t, store)) != 0 {
		t.Fatal("a file with invalid rows imported something")
	}
	var lines []string
	for _, e := range rep.Invalid {
		lines = append(lines, fmt.Sprintf("%d %s", e.Line, e.Column))
	}
	if !slices.Equal(lines, []string{"3 work_date", "3 amount", "3 status", "5 clinician_id"}) {
		t.Fatalf("invalid rows = %v", rep.Invalid)
	}

	skip := options("jan.csv")
	skip.SkipInvalid = true
	rep, err = importText(t, deps, text, skip)
	if err != nil || !rep.SkippedInvalid || len(rep.Invalid) != 4 || rep.Imported != 2 {
		t.Fatalf("with skipping: %+v, %v", rep, err)
	}
	if got := len(itemStreams(t, store)); got != 2 {
		t.Fatalf("%d items imported, want the 2 valid rows", got)
	}
}

func TestAFileThatCannotBeReadImportsNothing(t *testing.T) {
	t.Parallel()
	deps, store := memDeps(t)
	for _, text := range []string{"", "reference,amount\nV1-1,1.00\n"} {
		if _, err := importText(t, deps, text, options("bad.csv")); !errors.Is(err, v1csv.ErrEmptyFile) && !errors.Is(err, v1csv.ErrMissingColumns) {
			t.Fatalf("%q: err = %v", text, err)
		}
	}
	if len(itemStreams(t, store)) != 0 {
		t.Fatal("something was imported")
	}
}

func TestADryRunShowsWhatWouldHappenAndChangesNothing(t *testing.T) {
	t.Parallel()
	deps, store := memDeps(t)
	if _, err := importText(t, deps, header+rowA, options("jan.csv")); err != nil {
		t.Fatal(err)
	}
	text := header + rowA + rowB + strings.Replace(rowC, "75.00", "76.00", 1) + rowC
	dry := options("feb.csv")
	dry.DryRun = true
	before := itemStreams(t, store)
	rep, err := importText(t, deps, text, dry)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(itemStreams(t, store)) != fmt.Sprint(before) {
		t.Fatal("a dry run appended events")
	}
	c := rep.Plan.Counts()
	if !rep.DryRun || rep.Imported != 0 || c.New != 1 || c.Unchanged != 1 || c.FileConflicts != 1 {
		t.Fatalf("dry run = %+v %+v", rep, c)
	}
	real, err := importText(t, deps, text, options("feb.csv"))
	if err != nil || real.Imported != c.New || real.ConflictsRecorded != c.FileConflicts {
		t.Fatalf("the real run did something else than the dry run said: %+v, %v", real, err)
	}
}

func TestWorkOnOrAfterGoLiveIsImportedAndMarkedAsV2Work(t *testing.T) {
	t.Parallel()
	deps, _ := memDeps(t)
	late := "V1-L,clin-1,Dr Ada Lovelace,P-1,03/02/2025,Consultation,90.00,pending\n"
	rep, err := importText(t, deps, header+rowA+late, options("jan.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported != 2 || len(rep.AfterGoLive) != 1 || rep.AfterGoLive[0].Reference != "V1-L" {
		t.Fatalf("report = %+v", rep)
	}
	if s := loadItem(t, deps, "V1-L"); s.Ledger() != ledger.V2 || !s.Outstanding() {
		t.Fatalf("V1-L = %+v", s)
	}
}

func TestNothingIsImportedBeforeAGoLiveDateIsOnRecord(t *testing.T) {
	t.Parallel()
	deps, _ := memDeps(t)
	deps.Store = newEmptyStore()
	if _, err := importText(t, deps, header+rowA, options("jan.csv")); !errors.Is(err, v1import.ErrNoGoLive) {
		t.Fatalf("err = %v", err)
	}
	if len(itemStreams(t, deps.Store)) != 0 {
		t.Fatal("imported without a go-live date")
	}
}

func TestProgressIsReportedForEachStage(t *testing.T) {
	t.Parallel()
	deps, _ := memDeps(t)
	last := map[v1import.Stage][2]int{}
	opts := options("jan.csv")
	opts.Progress = func(s v1import.Stage, done, total int) { last[s] = [2]int{done, total} }
	if _, err := importText(t, deps, header+rowA+rowB+rowC, opts); err != nil {
		t.Fatal(err)
	}
	if last[v1import.StageChecking] != [2]int{3, 3} || last[v1import.StageImporting] != [2]int{3, 3} {
		t.Fatalf("progress = %v", last)
	}
}

func TestCommandIDsDependOnTheFiguresOnly(t *testing.T) {
	t.Parallel()
	f := v1item.Figures{Reference: "V1-A", ClinicianID: "c", ClinicianName: "n", PatientReference: "p", WorkDate: goLive, Amount: mustAmount("1.00"), Status: v1item.StatusPending}
	same, g := f, f
	g.Amount = mustAmount("1.01")
	if v1import.ImportCommandID(f) != v1import.ImportCommandID(same) || v1import.ImportCommandID(f) == v1import.ImportCommandID(g) {
		t.Fatal("import command ids must be the same for the same figures and differ for others")
	}
	ab := []v1item.Variant{{Figures: f, Lines: []int{2}}, {Figures: g, Lines: []int{3}}}
	ba := []v1item.Variant{{Figures: g, Lines: []int{9}}, {Figures: f, Lines: []int{7}}, {Figures: f, Lines: []int{8}}}
	if v1import.ConflictCommandID(ab) != v1import.ConflictCommandID(ba) || v1import.ConflictCommandID(ab) == v1import.ConflictCommandID(ab[:1]) {
		t.Fatal("conflict command ids must depend on the set of figures, not lines or order")
	}
}
