package earnings

import (
	"errors"

	"ledgerdesk/domain/check"
)

// Every rejection wraps one of these (ErrInvalidInput wraps check.ErrInvalidInput, the
// sentinel shared by every aggregate), so callers can branch with errors.Is and still show the
// wrapped message, which names the field and the reason.
var (
	ErrInvalidInput         = check.Sentinel("earnings")
	ErrUnknownCommand       = errors.New("earnings: unknown command")
	ErrWrongClinician       = errors.New("earnings: earning belongs to a different clinician")
	ErrConflictingAccrual   = errors.New("earnings: earning already accrued with different figures")
	ErrSourceAlreadyAccrued = errors.New("earnings: this work already has an earning")
	ErrNotAccrued           = errors.New("earnings: no such earning has been accrued")
	ErrWrongReleaseReason   = errors.New("earnings: release reason does not fit the kind of work")
	ErrNotReleased          = errors.New("earnings: earning has not been released")
	ErrAlreadyInPayout      = errors.New("earnings: earning is already in a payout")
	ErrAlreadyPaidOut       = errors.New("earnings: earning has already been paid out")
	ErrV1EarningNotPayable  = errors.New("earnings: V1 work is paid by the old back office, not V2")
	ErrPayoutAlreadyUsed    = errors.New("earnings: payout already used for this clinician")
	ErrUnknownPayout        = errors.New("earnings: no such payout for this clinician")
	ErrPayoutReturned       = errors.New("earnings: payout line was returned by the bank")
)
