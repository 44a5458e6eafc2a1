package earnings

import (
	"time"

	"ledgerdesk/domain/check"

	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
)

// Limits on what a command may carry, so that a malformed request is refused here rather
// than stored for ever in the history. Ids are bounded by check.MaxIDLength, the same in
// every aggregate.
const (
	MaxReasonLength = 500
	// MaxEarningsPerPayout bounds one clinician's line in one payout run; the payout
	// aggregate refers to it (payout.MaxEarningsPerLine), so the two cannot disagree.
	MaxEarningsPerPayout = 5000
	// MaxAmountPence is the largest single earning: £10,000.00, the largest consultation
	// fee (appointment.MaxFee) or billable item (invoice.MaxItemAmount) it can come from.
	MaxAmountPence = 10_000_00
)

// MaxAmount is MaxAmountPence as money.
var MaxAmount = money.FromPence(MaxAmountPence)

// The field checks are shared by every aggregate (domain/check); these name this
// aggregate's sentinel and limits.
func checkID(field, v string) error             { return check.ID(ErrInvalidInput, field, v, check.MaxIDLength) }
func checkTime(field string, t time.Time) error { return check.Time(ErrInvalidInput, field, t) }
func checkText(field, v string, max int) error  { return check.Text(ErrInvalidInput, field, v, max) }
func firstError(errs ...error) error            { return check.First(errs...) }
func canonical(a money.Amount) money.Amount     { return check.Canonical(a) }
func checkAmount(field string, a money.Amount) error {
	return check.Amount(ErrInvalidInput, field, "", a, MaxAmount)
}
func checkDate(field string, d ledger.Date) error { return check.Date(ErrInvalidInput, field, d) }

// CheckEarningIDs is the one check of the earnings one payout line pays, applied by the
// earnings aggregate when they are included and by the payout aggregate when the line is
// added: at least one, at most MaxEarningsPerPayout, each a valid id, none twice. Errors
// wrap sentinel (the caller's invalid-input error) and check.ErrInvalidInput.
func CheckEarningIDs(sentinel error, ids []string) error {
	const field = "earning ids"
	if len(ids) == 0 {
		return check.Failf(sentinel, field, "none given")
	}
	if len(ids) > MaxEarningsPerPayout {
		return check.Failf(sentinel, field, "%d is more than the %d one payout line may carry", len(ids), MaxEarningsPerPayout)
	}
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if err := check.ID(sentinel, field, id, check.MaxIDLength); err != nil {
			return err
		}
		if seen[id] {
			return check.Failf(sentinel, field, "%s is listed twice", id)
		}
		seen[id] = true
	}
	return nil
}
