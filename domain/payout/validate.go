package payout

import (
	"fmt"
	"ledgerdesk/domain/check"
	"strings"
	"time"

	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
)

// Limits on what a command may carry, so that a malformed request is refused here rather
// than stored for ever in the history.
const (
	MaxIDLength     = 200
	MaxReasonLength = 500
	// MaxEarningsPerLine bounds one clinician's line in one payout run.
	MaxEarningsPerLine = 5000
	// MaxLines bounds a run: far more clinicians than the practice has.
	MaxLines = 10000
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
		return Payee{}, fmt.Errorf("%w: field sort code: must be six digits", ErrInvalidInput)
	}
	if len(acct) != 8 || !allDigits(acct) {
		return Payee{}, fmt.Errorf("%w: field account number: must be eight digits", ErrInvalidInput)
	}
	return Payee{Name: strings.TrimSpace(p.Name), SortCode: sort, AccountNumber: acct}, nil
}

func checkMessageID(id string) error {
	if id == "" || len(id) > MaxMessageIDLength {
		return fmt.Errorf("%w: field message id: must be 1 to %d characters", ErrInvalidInput, MaxMessageIDLength)
	}
	for _, r := range id {
		if r <= ' ' || r > '~' {
			return fmt.Errorf("%w: field message id: only printable ASCII without spaces is allowed", ErrInvalidInput)
		}
	}
	return nil
}

func checkSHA256(h string) error {
	if len(h) != 64 || strings.Trim(h, "0123456789abcdef") != "" {
		return fmt.Errorf("%w: field sha256: must be 64 lower-case hex digits", ErrInvalidInput)
	}
	return nil
}

func checkEarningIDs(ids []string) error {
	if len(ids) == 0 {
		return fmt.Errorf("%w: field earning ids: none given", ErrInvalidInput)
	}
	if len(ids) > MaxEarningsPerLine {
		return fmt.Errorf("%w: field earning ids: %d is more than the %d one line may carry", ErrInvalidInput, len(ids), MaxEarningsPerLine)
	}
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if err := checkID("earning ids", id); err != nil {
			return err
		}
		if seen[id] {
			return fmt.Errorf("%w: field earning ids: %s is listed twice", ErrInvalidInput, id)
		}
		seen[id] = true
	}
	return nil
}

// The field checks are shared by every aggregate (domain/check); these name this
// aggregate's sentinel and limits.
func checkID(field, v string) error             { return check.ID(ErrInvalidInput, field, v, MaxIDLength) }
func checkTime(field string, t time.Time) error { return check.Time(ErrInvalidInput, field, t) }
func checkText(field, v string, max int) error  { return check.Text(ErrInvalidInput, field, v, max) }
func firstError(errs ...error) error            { return check.First(errs...) }
func canonical(a money.Amount) money.Amount     { return check.Canonical(a) }
func checkAmount(field string, a money.Amount) error {
	return check.Positive(ErrInvalidInput, field, "", a)
}
func checkDate(field string, d ledger.Date) error { return check.Date(ErrInvalidInput, field, d) }
