package appointment

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"ledgerdesk/domain/money"
)

// Limits on what a command may carry, so that a malformed request is refused here rather
// than stored for ever in the history.
const (
	MaxIDLength     = 200
	MaxReasonLength = 2000
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

func checkFee(field string, a money.Amount) error {
	if !a.IsPositive() {
		return fmt.Errorf("%w: field %s: the fee must be more than £0.00, got £%s", ErrInvalidCommand, field, a)
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
