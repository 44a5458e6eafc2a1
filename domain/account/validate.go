package account

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxIDLength bounds every id a command carries (UUID text is 36).
const MaxIDLength = 128

func checkID(field, id string) error {
	switch {
	case id == "":
		return fmt.Errorf("%w: field %s: is required", ErrInvalidInput, field)
	case len(id) > MaxIDLength:
		return fmt.Errorf("%w: field %s: is longer than %d characters", ErrInvalidInput, field, MaxIDLength)
	case !utf8.ValidString(id) || strings.ContainsFunc(id, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }):
		return fmt.Errorf("%w: field %s: must not contain spaces or control characters", ErrInvalidInput, field)
	}
	return nil
}

func checkAt(field string, at time.Time) error {
	if at.IsZero() {
		return fmt.Errorf("%w: field %s: the time is required", ErrInvalidInput, field)
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// existing checks that the command is for this, registered account.
func existing(s State, accountID string, at time.Time) error {
	if err := firstErr(checkID("account_id", accountID), checkAt("at", at)); err != nil {
		return err
	}
	if !s.Registered() {
		return fmt.Errorf("%w: field account_id: no account has been registered with this id", ErrAccountNotFound)
	}
	if s.ID != accountID {
		return fmt.Errorf("%w: field account_id: the command is for a different account than the one loaded", ErrInvalidInput)
	}
	return nil
}

func invalid(err error) error { return fmt.Errorf("%w: %w", ErrInvalidInput, err) }
