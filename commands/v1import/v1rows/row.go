// Package v1rows is what the V1 import works on, whatever the file it came from: the
// rows of a V1 export (Row), the problems found in them (RowError), a whole parsed file
// (Result), and the plan that classifies the rows against what was already imported
// (Plan): new, unchanged, repeated in the file, or in conflict.
//
// Pure and owned by the command side (commands/v1import). Reading a file into a Result is
// an adapter's job (adapters/v1csv for the CSV export); whether a file with problems is
// imported at all is the caller's decision, and the plan reports everything needed to
// make it.
package v1rows

import (
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/v1item"
)

// Row is one valid row of the export.
type Row struct {
	// Line is the physical line on which the row starts (a quoted cell may span lines).
	Line int
	v1item.Figures
}

// Command turns the row into the import command for its V1 item's stream.
func (r Row) Command(goLive ledger.Date, by, sourceFile string, at time.Time) v1item.Import {
	return v1item.Import{Figures: r.Figures, GoLive: goLive, ImportedBy: by, At: at, SourceFile: sourceFile, SourceLine: r.Line}
}

// Result is a whole file: its valid rows and every problem found, both in file order.
type Result struct {
	Rows    []Row
	Invalid []RowError
}

// RowError is one problem in one row. Column is empty when the problem is with the row as a
// whole (wrong number of fields, unbalanced quotes).
type RowError struct {
	Line   int
	Column string
	Value  string
	Reason string
}

// maxShownValue keeps a runaway cell from swamping the message.
const maxShownValue = 60

func (e RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Reason)
	}
	if e.Value == "" {
		return fmt.Sprintf("line %d, %s: %s", e.Line, e.Column, e.Reason)
	}
	return fmt.Sprintf("line %d, %s: %s %s", e.Line, e.Column, shown(e.Value), e.Reason)
}

func shown(v string) string {
	if len(v) <= maxShownValue {
		return strconv.Quote(v)
	}
	cut := maxShownValue
	for cut > 0 && !utf8.RuneStart(v[cut]) {
		cut--
	}
	return strconv.Quote(v[:cut]) + "…"
}
