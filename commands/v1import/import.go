package v1import

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"ledgerdesk/commands"
	"ledgerdesk/commands/v1import/v1rows"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/v1item"
)

var (
	// ErrInvalidRows refuses a file with invalid rows when they were not to be skipped.
	ErrInvalidRows = errors.New("the file has invalid rows, so nothing was imported")
	// ErrRefused says an item refused a command the plan called for; nothing was imported.
	ErrRefused = errors.New("an item refused the import, so nothing was imported")
	// ErrNoParser says Import was not told how to read the file.
	ErrNoParser = errors.New("v1 import: no parser")
	// ErrInterrupted says the import stopped part way; running it again finishes it.
	ErrInterrupted = errors.New("the import was interrupted; run it again to finish it (nothing will be imported twice)")
)

// DefaultWorkers is how many items are read or written at once: enough to keep a database
// busy, few enough to leave connections for everything else.
const DefaultWorkers = 16

// Stage names a phase of an import, for progress reports.
type Stage string

const (
	// StageChecking reads the items the file names.
	StageChecking Stage = "checking"
	// StageImporting writes the new items and the conflicts.
	StageImporting Stage = "importing"
)

// Progress is told how far a stage has got.
type Progress func(stage Stage, done, total int)

// Options say how to import one file.
type Options struct {
	// SourceFile is the file's name as recorded in every event (a base name, not a path).
	SourceFile string
	// By is who is importing; At is when.
	By string
	At time.Time
	// DryRun plans and reports but changes nothing.
	DryRun bool
	// SkipInvalid imports the valid rows of a file that has invalid ones.
	SkipInvalid bool
	// Workers bounds concurrent reads and writes; 0 means DefaultWorkers.
	Workers  int
	Progress Progress
	// Parse reads the file; required. adapters/v1csv reads V1's CSV export:
	// v1csv.Options{}.Parse.
	Parse Parser
}

// Parser reads a whole V1 export: the error is for the file as a whole (no header, too
// large), problems with single rows are in Result.Invalid.
type Parser func(r io.Reader) (v1rows.Result, error)

// Report is what an import found and did.
type Report struct {
	SourceFile string
	GoLive     ledger.Date
	DryRun     bool
	// ValidRows counts the rows the file's parser could read, whether or not the import
	// went ahead: a file refused for its invalid rows still says how many were fine.
	ValidRows int
	// Invalid are the rows that could not be read, in file order; SkippedInvalid says the
	// valid rows were imported without them.
	Invalid        []v1rows.RowError
	SkippedInvalid bool
	// Plan classifies every valid row against the items already imported.
	Plan v1rows.ImportPlan
	// AfterGoLive are the new rows whose work date is on or after go-live: imported as V2
	// work, for reconciliation to list as exceptions.
	AfterGoLive []v1rows.Row
	// ConflictsAlreadyRecorded counts conflicts met that an earlier import recorded.
	ConflictsAlreadyRecorded int
	// Imported and ConflictsRecorded are what this run appended (both 0 in a dry run).
	Imported          int
	ConflictsRecorded int
	// Raced are references another import took, with other figures, between this one's
	// reading and writing: recorded as conflicts instead.
	Raced []string
}

// Import reads a V1 export from r and imports it. A file error (no header, too large) or
// invalid rows without SkipInvalid change nothing and return the error with whatever the
// report could say. See the package comment for the steps.
func Import(ctx context.Context, deps commands.Deps, r io.Reader, opts Options) (Report, error) {
	rep := Report{SourceFile: opts.SourceFile, DryRun: opts.DryRun}
	if opts.Workers <= 0 {
		opts.Workers = DefaultWorkers
	}
	goLive, err := GoLive(ctx, deps)
	if err != nil {
		return rep, err
	}
	rep.GoLive = goLive

	if opts.Parse == nil {
		return rep, fmt.Errorf("%w: Options.Parse: no parser for the file", ErrNoParser)
	}
	parsed, err := opts.Parse(r)
	rep.Invalid, rep.ValidRows = parsed.Invalid, len(parsed.Rows)
	if err != nil {
		return rep, fmt.Errorf("%s: %w", opts.SourceFile, err)
	}
	if len(parsed.Invalid) > 0 {
		if !opts.SkipInvalid {
			return rep, fmt.Errorf("%w: %d invalid row(s) in %s; correct them, or import with --skip-invalid",
				ErrInvalidRows, len(parsed.Invalid), opts.SourceFile)
		}
		rep.SkippedInvalid = true
	}

	items, err := load(ctx, deps, parsed.Rows, opts)
	if err != nil {
		return rep, err
	}
	existing := map[string]v1item.Figures{}
	for ref, it := range items {
		if it.state.Imported() {
			existing[ref] = it.state.Figures()
		}
	}
	rep.Plan = v1rows.Plan(parsed.Rows, existing)
	for _, row := range rep.Plan.New {
		if !row.WorkDate.Before(goLive) {
			rep.AfterGoLive = append(rep.AfterGoLive, row)
		}
	}

	jobs, err := decideAll(items, rep.Plan, goLive, opts, &rep)
	if err != nil || opts.DryRun {
		return rep, err
	}
	return rep, execute(ctx, deps, jobs, opts, &rep)
}
