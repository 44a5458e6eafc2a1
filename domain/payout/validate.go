package payout

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

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
	// Dates outside these years are typing mistakes, not work.
	minYear, maxYear = 2000, 2999
)

func checkID(field, v string) error {
	switch {
	case strings.TrimSpace(v) == "":
		return fmt.Errorf("%w: field %s: is empty", ErrInvalidCommand, field)
	case len(v) > MaxIDLength:
		return fmt.Errorf("%w: field %s: longer than %d characters", ErrInvalidCommand, field, MaxIDLength)
	case !utf8.ValidString(v) || strings.ContainsFunc(v, unicode.IsControl):
		return fmt.Errorf("%w: field %s: contains characters an id cannot have", ErrInvalidCommand, field)
	}
	return nil
}

func checkTime(field string, t time.Time) error {
	if t.IsZero() {
		return fmt.Errorf("%w: field %s: no time given", ErrInvalidCommand, field)
	}
	return nil
}

func checkAmount(field string, a money.Amount) error {
	if !a.IsPositive() {
		return fmt.Errorf("%w: field %s: must be more than £0.00, got £%s", ErrInvalidCommand, field, a)
	}
	return nil
}

func checkDate(field string, d ledger.Date) error {
	if d.IsZero() {
		return fmt.Errorf("%w: field %s: no date given", ErrInvalidCommand, field)
	}
	if d.Year < minYear || d.Year > maxYear {
		return fmt.Errorf("%w: field %s: year %d is out of range", ErrInvalidCommand, field, d.Year)
	}
	if ledger.DateOf(time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)) != d {
		return fmt.Errorf("%w: field %s: %s is not a calendar date", ErrInvalidCommand, field, d)
	}
	return nil
}

func checkText(field, v string, max int) error {
	switch {
	case strings.TrimSpace(v) == "":
		return fmt.Errorf("%w: field %s: is empty", ErrInvalidCommand, field)
	case !utf8.ValidString(v):
		return fmt.Errorf("%w: field %s: is not valid text", ErrInvalidCommand, field)
	case utf8.RuneCountInString(v) > max:
		return fmt.Errorf("%w: field %s: longer than %d characters", ErrInvalidCommand, field, max)
	}
	return nil
}

// firstError returns the first failed check, so a command is refused for its first problem.
func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// canonical gives an amount one in-memory shape per value (pence at two places), so that
// events compare equal whether they were decided now or read back from JSON.
func canonical(a money.Amount) money.Amount { return money.FromPence(a.Pence()) }

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
		return Payee{}, fmt.Errorf("%w: field sort code: must be six digits", ErrInvalidCommand)
	}
	if len(acct) != 8 || !allDigits(acct) {
		return Payee{}, fmt.Errorf("%w: field account number: must be eight digits", ErrInvalidCommand)
	}
	return Payee{Name: strings.TrimSpace(p.Name), SortCode: sort, AccountNumber: acct}, nil
}

func checkMessageID(id string) error {
	if id == "" || len(id) > MaxMessageIDLength {
		return fmt.Errorf("%w: field message id: must be 1 to %d characters", ErrInvalidCommand, MaxMessageIDLength)
	}
	for _, r := range id {
		if r <= ' ' || r > '~' {
			return fmt.Errorf("%w: field message id: only printable ASCII without spaces is allowed", ErrInvalidCommand)
		}
	}
	return nil
}

func checkSHA256(h string) error {
	if len(h) != 64 || strings.Trim(h, "0123456789abcdef") != "" {
		return fmt.Errorf("%w: field sha256: must be 64 lower-case hex digits", ErrInvalidCommand)
	}
	return nil
}

func checkEarningIDs(ids []string) error {
	if len(ids) == 0 {
		return fmt.Errorf("%w: field earning ids: none given", ErrInvalidCommand)
	}
	if len(ids) > MaxEarningsPerLine {
		return fmt.Errorf("%w: field earning ids: %d is more than the %d one line may carry", ErrInvalidCommand, len(ids), MaxEarningsPerLine)
	}
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if err := checkID("earning ids", id); err != nil {
			return err
		}
		if seen[id] {
			return fmt.Errorf("%w: field earning ids: %s is listed twice", ErrInvalidCommand, id)
		}
		seen[id] = true
	}
	return nil
}
