package invoice

import (
	"time"

	"ledgerdesk/domain/check"

	"ledgerdesk/domain/money"
)

// Limits on what a command may carry, so that a malformed request is refused here rather
// than stored for ever in the history. Ids are bounded by check.MaxIDLength, the same in
// every aggregate.
const (
	MaxReasonLength      = 2000
	MaxDescriptionLength = 500
	// MaxItems bounds one invoice; a longer list is a mistake, not a real bill.
	MaxItems = 200
	// MaxItemPence is the largest billable item: £10,000.00 (a report, a letter, a
	// prescription costs far less).
	MaxItemPence = 10_000_00
	// MaxPaymentPence is the largest payment: the most an invoice can come to
	// (MaxItems items of MaxItemPence), £2,000,000.00, inside the read models'
	// numeric(14,2) columns. A payment is also refused above what is outstanding.
	MaxPaymentPence = MaxItems * MaxItemPence
)

// MaxItemAmount and MaxPaymentAmount are the maxima as money.
var (
	MaxItemAmount    = money.FromPence(MaxItemPence)
	MaxPaymentAmount = money.FromPence(MaxPaymentPence)
)

// The field checks are shared by every aggregate (domain/check); these name this
// aggregate's sentinel and limits.
func checkID(field, v string) error             { return check.ID(ErrInvalidInput, field, v, check.MaxIDLength) }
func checkTime(field string, t time.Time) error { return check.Time(ErrInvalidInput, field, t) }
func checkText(field, v string, max int) error  { return check.Text(ErrInvalidInput, field, v, max) }
func firstError(errs ...error) error            { return check.First(errs...) }
func canonical(a money.Amount) money.Amount     { return check.Canonical(a) }
func checkAmount(field string, a, max money.Amount) error {
	return check.Amount(ErrInvalidInput, field, "", a, max)
}
