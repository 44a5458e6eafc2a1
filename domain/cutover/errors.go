package cutover

import (
	"errors"
	"fmt"

	"ledgerdesk/domain/check"
)

var (
	// ErrInvalidInput (which wraps check.ErrInvalidInput) is wrapped when a command is
	// missing a field or carries nonsense.
	ErrInvalidInput = check.Sentinel("cutover")
	// ErrGoLivePassed rejects moving a go-live date that has already begun, or moving it
	// to a day that has already begun.
	ErrGoLivePassed = errors.New("go-live date has already passed")
	// ErrGoLiveInPast is the ErrGoLivePassed case where the current date is still ahead but
	// the new date is not; errors.Is matches both.
	ErrGoLiveInPast = fmt.Errorf("%w: the new go-live date is not in the future", ErrGoLivePassed)
	// ErrGoLiveNotScheduled rejects recording a cutover before any go-live date exists.
	ErrGoLiveNotScheduled = errors.New("no go-live date has been scheduled")
	// ErrGoLiveNotReached rejects recording the cutover before go-live day has begun.
	ErrGoLiveNotReached = errors.New("go-live date has not been reached")
	// ErrUnknownCommand is returned for a nil or foreign command.
	ErrUnknownCommand = errors.New("unknown cutover command")
)
