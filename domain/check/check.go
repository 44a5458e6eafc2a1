// Package check holds the field checks every aggregate applies to its commands, so that a
// malformed request is refused, with the field and the reason, before anything is stored
// for ever in the history. Each check wraps the aggregate's own sentinel error, so callers
// keep matching errors.Is(err, appointment.ErrInvalidCommand) and the like.
package check

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
)

// Dates outside these years are typing mistakes, not work.
const MinYear, MaxYear = 2000, 2999

// ID refuses an empty id, one longer than max, or one with characters an id cannot have.
func ID(sentinel error, field, v string, max int) error {
	switch {
	case strings.TrimSpace(v) == "":
		return fmt.Errorf("%w: field %s: is empty", sentinel, field)
	case len(v) > max:
		return fmt.Errorf("%w: field %s: longer than %d characters", sentinel, field, max)
	case !utf8.ValidString(v) || strings.ContainsFunc(v, unicode.IsControl):
		return fmt.Errorf("%w: field %s: contains characters an id cannot have", sentinel, field)
	}
	return nil
}

// Time refuses a missing time.
func Time(sentinel error, field string, t time.Time) error {
	if t.IsZero() {
		return fmt.Errorf("%w: field %s: no time given", sentinel, field)
	}
	return nil
}

// Positive refuses an amount of £0.00 or less; what names the amount in the message
// ("the fee", or "" for a plain "must be more than £0.00").
func Positive(sentinel error, field, what string, a money.Amount) error {
	if a.IsPositive() {
		return nil
	}
	if what != "" {
		return fmt.Errorf("%w: field %s: %s must be more than £0.00, got £%s", sentinel, field, what, a)
	}
	return fmt.Errorf("%w: field %s: must be more than £0.00, got £%s", sentinel, field, a)
}

// Date refuses a missing date, a year out of range, or a day the calendar does not have.
func Date(sentinel error, field string, d ledger.Date) error {
	if d.IsZero() {
		return fmt.Errorf("%w: field %s: no date given", sentinel, field)
	}
	if d.Year < MinYear || d.Year > MaxYear {
		return fmt.Errorf("%w: field %s: year %d is out of range", sentinel, field, d.Year)
	}
	if ledger.DateOf(time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)) != d {
		return fmt.Errorf("%w: field %s: %s is not a calendar date", sentinel, field, d)
	}
	return nil
}

// Text refuses empty text, invalid UTF-8, or more than max characters.
func Text(sentinel error, field, v string, max int) error {
	switch {
	case strings.TrimSpace(v) == "":
		return fmt.Errorf("%w: field %s: is empty", sentinel, field)
	case !utf8.ValidString(v):
		return fmt.Errorf("%w: field %s: is not valid text", sentinel, field)
	case utf8.RuneCountInString(v) > max:
		return fmt.Errorf("%w: field %s: longer than %d characters", sentinel, field, max)
	}
	return nil
}

// First returns the first failed check, so a command is refused for its first problem.
func First(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Canonical gives an amount one in-memory shape per value (pence at two places), so that
// events compare equal whether they were decided now or read back from JSON.
func Canonical(a money.Amount) money.Amount { return money.FromPence(a.Pence()) }
