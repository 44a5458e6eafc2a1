package pain001

import "errors"

// Every error from Validate, Write and Parse wraps one of these, so callers can test with
// errors.Is; Validate joins all the problems it finds.
var (
	ErrMissingField         = errors.New("missing field")
	ErrTextTooLong          = errors.New("text too long")
	ErrInvalidText          = errors.New("invalid text")
	ErrInvalidSortCode      = errors.New("invalid sort code")
	ErrInvalidAccountNumber = errors.New("invalid account number")
	ErrInvalidAmount        = errors.New("invalid amount")
	ErrInvalidDate          = errors.New("invalid date")
	ErrNoLines              = errors.New("no payment lines")
	ErrTooManyLines         = errors.New("too many payment lines")
	ErrDuplicateID          = errors.New("duplicate id")
	// ErrMalformed is a document that is not a payout file this package wrote.
	ErrMalformed = errors.New("malformed payout file")
	// ErrControlMismatch is a document whose declared count or control sum disagrees with its lines.
	ErrControlMismatch = errors.New("control total mismatch")
)
