package payouts

import (
	"errors"

	"ledgerdesk/domain/check"
)

var (
	// ErrNothingToPay says no clinician has released, unpaid V2 earnings up to the cut-off
	// (or none of those who do has bank details): no run is started.
	ErrNothingToPay = errors.New("payouts: nothing to pay up to the cut-off")
	// ErrCutoffMismatch says a run was resumed with a different cut-off than it started with.
	ErrCutoffMismatch = errors.New("payouts: the run was started with a different cut-off")
	// ErrInvalidInput says a request is missing something before any command is tried; it
	// wraps check.ErrInvalidInput, like every aggregate's invalid-input error.
	ErrInvalidInput = check.Sentinel("payouts")
	// ErrPayeeErased says a line's bank details were erased, so no file can pay it.
	ErrPayeeErased = errors.New("payouts: the clinician's bank details have been erased")
)
