package appointment

import (
	"time"

	"ledgerdesk/domain/check"

	"ledgerdesk/domain/money"
)

// Limits on what a command may carry, so that a malformed request is refused here rather
// than stored for ever in the history. Ids are bounded by check.MaxIDLength, the same in
// every aggregate.
const (
	MaxReasonLength = 2000
	// MaxFeePence is the largest fee a consultation may carry: £10,000.00, far above any
	// real fee and well inside the read models' numeric(12,2) columns.
	MaxFeePence = 10_000_00
)

// MaxFee is MaxFeePence as money.
var MaxFee = money.FromPence(MaxFeePence)

// The field checks are shared by every aggregate (domain/check); these name this
// aggregate's sentinel and limits.
func checkID(field, v string) error             { return check.ID(ErrInvalidInput, field, v, check.MaxIDLength) }
func checkTime(field string, t time.Time) error { return check.Time(ErrInvalidInput, field, t) }
func checkText(field, v string, max int) error  { return check.Text(ErrInvalidInput, field, v, max) }
func firstError(errs ...error) error            { return check.First(errs...) }
func canonical(a money.Amount) money.Amount     { return check.Canonical(a) }
func checkFee(field string, a money.Amount) error {
	return check.Amount(ErrInvalidInput, field, "the fee", a, MaxFee)
}
