package payout

import (
	"strings"
	"time"

	"ledgerdesk/domain/check"
	"ledgerdesk/domain/earnings"

	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
)

// Limits on what a command may carry, so that a malformed request is refused here rather
// than stored for ever in the history. Ids are bounded by check.MaxIDLength, the same in
// every aggregate.
const (
	MaxReasonLength = 500
	// MaxEarningsPerLine bounds one clinician's line in one payout run. The earnings
	// aggregate states it, as it checks the same list when the earnings are included.
	MaxEarningsPerLine = earnings.MaxEarningsPerPayout
	// MaxLines bounds a run: far more clinicians than the practice has.
	MaxLines = 10000
	// MaxLinePence is the largest line: MaxEarningsPerLine earnings of at most
	// earnings.MaxAmountPence each, £50,000,000.00, and MaxTotalPence the largest run,
	// £500,000,000,000.00; both fit the read models' numeric(14,2) columns.
	MaxLinePence  = MaxEarningsPerLine * earnings.MaxAmountPence
	MaxTotalPence = MaxLines * MaxLinePence
	// MaxPayeeNameLength and MaxMessageIDLength are pain.001's Max140Text and Max35Text.
	MaxPayeeNameLength = 140
	MaxMessageIDLength = 35
)

// digits strips the spaces and hyphens people write sort codes and account numbers with.
func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, s)
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// normalisePayee checks UK bank details and returns them as stored: a six-digit sort code
// and an eight-digit account number. Error messages never repeat the details themselves,
// because error text ends up in logs that are not encrypted.
func normalisePayee(p Payee) (Payee, error) {
	if err := checkText("payee name", p.Name, MaxPayeeNameLength); err != nil {
		return Payee{}, err
	}
	sort, acct := digits(p.SortCode), digits(p.AccountNumber)
	if len(sort) != 6 || !allDigits(sort) {
		return Payee{}, check.Failf(ErrInvalidInput, "sort code", "must be six digits")
	}
	if len(acct) != 8 || !allDigits(acct) {
		return Payee{}, check.Failf(ErrInvalidInput, "account number", "must be eight digits")
	}
	return Payee{Name: strings.TrimSpace(p.Name), SortCode: sort, AccountNumber: acct}, nil
}

func checkMessageID(id string) error {
	if id == "" || len(id) > MaxMessageIDLength {
		return check.Failf(ErrInvalidInput, "message id", "must be 1 to %d characters", MaxMessageIDLength)
	}
	for _, r := range id {
		if r <= ' ' || r > '~' {
			return check.Failf(ErrInvalidInput, "message id", "only printable ASCII without spaces is allowed")
		}
	}
	return nil
}

func checkSHA256(h string) error { return check.SHA256Hex(ErrInvalidInput, "sha256", h) }

// checkEarningIDs is the earnings aggregate's check of the same list, so that a line the
// earnings accepted is never refused here, or the other way round.
func checkEarningIDs(ids []string) error { return earnings.CheckEarningIDs(ErrInvalidInput, ids) }

// The field checks are shared by every aggregate (domain/check); these name this
// aggregate's sentinel and limits.
func checkID(field, v string) error             { return check.ID(ErrInvalidInput, field, v, check.MaxIDLength) }
func checkTime(field string, t time.Time) error { return check.Time(ErrInvalidInput, field, t) }
func checkText(field, v string, max int) error  { return check.Text(ErrInvalidInput, field, v, max) }
func firstError(errs ...error) error            { return check.First(errs...) }
func canonical(a money.Amount) money.Amount     { return check.Canonical(a) }

// MaxLineAmount and MaxTotal are the maxima as money.
var (
	MaxLineAmount = money.FromPence(MaxLinePence)
	MaxTotal      = money.FromPence(MaxTotalPence)
)

func checkAmount(field string, a money.Amount) error {
	return check.Amount(ErrInvalidInput, field, "", a, MaxLineAmount)
}
func checkDate(field string, d ledger.Date) error { return check.Date(ErrInvalidInput, field, d) }
