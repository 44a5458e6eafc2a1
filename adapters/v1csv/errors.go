package v1csv

import (
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// File-level errors: the file as a whole cannot be read as a V1 export.
var (
	ErrEmptyFile       = errors.New("the file is empty")
	ErrBadHeader       = errors.New("the header row cannot be read")
	ErrMissingColumns  = errors.New("the header row is missing required columns")
	ErrDuplicateColumn = errors.New("the header row names a column twice")
	ErrFileTooLarge    = errors.New("the file is too large")
	ErrTooManyRows     = errors.New("the file has too many rows")
)

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
