package v1csv

import (
	"errors"
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

// maxShownValue keeps a runaway header cell from swamping the message.
const maxShownValue = 60

// shown quotes a header cell for a message, cut short if long (as v1rows.RowError does).
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
