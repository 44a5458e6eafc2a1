package v1item

import (
	"errors"
	"fmt"
	"strings"

	"ledgerdesk/domain/check"
)

var (
	// ErrInvalidFigures (which wraps check.ErrInvalidInput) is wrapped when an imported row's figures are missing or nonsense.
	ErrInvalidFigures = check.Sentinel("V1 figures")
	// ErrInvalidInput (which wraps check.ErrInvalidInput) is wrapped when a command lacks
	// who, when or why.
	ErrInvalidInput = check.Sentinel("v1item")
	// ErrNoConflict rejects recording a conflict between figures that agree.
	ErrNoConflict = errors.New("the V1 figures do not conflict")
	// ErrConflictingFigures is matched by every *ConflictError.
	ErrConflictingFigures = errors.New("conflicting V1 figures")
	// ErrNotImported rejects ticking an item that was never imported.
	ErrNotImported = errors.New("V1 item has not been imported")
	// ErrAlreadyTickedOff rejects ticking off an item twice.
	ErrAlreadyTickedOff = errors.New("V1 item is already ticked off")
	// ErrSettledInV1 rejects ticking off an item V1 had already paid when it was exported:
	// it was never outstanding in V2, so no clerk settled it.
	ErrSettledInV1 = errors.New("V1 item was already paid in V1")
	// ErrNotTickedOff rejects undoing a tick that is not there.
	ErrNotTickedOff = errors.New("V1 item is not ticked off")
	// ErrUnknownCommand is returned for a nil or foreign command.
	ErrUnknownCommand = errors.New("unknown V1 item command")
)

// ConflictError says that a V1 reference was imported before with different figures. The
// message names fields only; the figures, which hold personal data, are in the struct.
type ConflictError struct {
	Reference string
	// Fields are the column names that differ, in column order.
	Fields   []string
	Existing Figures
	Incoming Figures
	// ExistingFile and ExistingLine say where the figures on record came from.
	ExistingFile string
	ExistingLine int
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%v: v1_reference %q was first imported from %s line %d with a different %s; the item was not changed",
		ErrConflictingFigures, e.Reference, e.ExistingFile, e.ExistingLine, strings.Join(e.Fields, ", "))
}

// Unwrap lets errors.Is(err, ErrConflictingFigures) match.
func (e *ConflictError) Unwrap() error { return ErrConflictingFigures }
