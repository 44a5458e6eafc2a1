package v1import_test

import (
	"errors"
	"io"
	"testing"

	"ledgerdesk/commands/v1import"
	"ledgerdesk/commands/v1import/v1rows"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/domain/v1item"
)

// The import reads whatever the parser it is given reads: the file's format is the
// adapter's business, not the import's.
func TestTheImportTakesRowsFromTheParserItIsGiven(t *testing.T) {
	t.Parallel()
	deps, _ := memDeps(t)
	scheduleGoLive(t, deps)
	row := v1rows.Row{Line: 2, Figures: v1item.Figures{Reference: "V1-P", ClinicianID: "clin-1", ClinicianName: "Dr X",
		PatientReference: "P-1", WorkDate: ledger.Date{Year: 2025, Month: 1, Day: 15}, Description: "d",
		Amount: money.GBP("12.50"), Status: v1item.StatusPending}}
	opts := options("rows.bin")
	opts.Parse = func(io.Reader) (v1rows.Result, error) { return v1rows.Result{Rows: []v1rows.Row{row}}, nil }
	rep, err := importText(t, deps, "not a CSV file at all", opts)
	if err != nil || rep.Imported != 1 || len(rep.Plan.New) != 1 || rep.Plan.New[0].Reference != "V1-P" {
		t.Fatalf("import: %+v, %v", rep, err)
	}
}

func TestAnImportWithoutAParserIsRefused(t *testing.T) {
	t.Parallel()
	deps, _ := memDeps(t)
	scheduleGoLive(t, deps)
	opts := options("x.csv")
	opts.Parse = nil
	if _, err := importText(t, deps, "", opts); !errors.Is(err, v1import.ErrNoParser) {
		t.Fatalf("no parser: %v, want ErrNoParser", err)
	}
}
