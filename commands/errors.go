package commands

import (
	"errors"

	"ledgerdesk/domain/check"
)

var (
	// ErrInvalidMetadata says a command came without what every change must carry. It
	// wraps check.ErrInvalidInput, like every aggregate's invalid-input error.
	ErrInvalidMetadata = check.Sentinel("command metadata")
	// ErrContended says a stream kept changing under a command until it gave up.
	ErrContended = errors.New("too many concurrent changes to the same record")
	// ErrCommandIDReused says a command id was already used by a different command.
	ErrCommandIDReused = errors.New("command id already used by a different command")
	// ErrForeignEvent says a stream holds an event its aggregate does not know.
	ErrForeignEvent = errors.New("event does not belong to this aggregate")
	// ErrAlreadyClaimed is matched by every *ClaimedError.
	ErrAlreadyClaimed = errors.New("already claimed")
)
