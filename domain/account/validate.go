package account

import (
	"fmt"
	"time"

	"ledgerdesk/domain/check"
)

// The field checks are shared by every aggregate (domain/check); these name this
// aggregate's sentinel. Ids are bounded by check.MaxIDLength, the same in every aggregate.
func checkID(field, id string) error           { return check.ID(ErrInvalidInput, field, id, check.MaxIDLength) }
func checkAt(field string, at time.Time) error { return check.Time(ErrInvalidInput, field, at) }
func firstErr(errs ...error) error             { return check.First(errs...) }
func checkProse(field, s string, max int) (string, error) {
	return check.Prose(ErrInvalidInput, field, s, max, false)
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
		return check.Failf(ErrInvalidInput, "account_id", "the command is for a different account than the one loaded")
	}
	return nil
}

func invalid(err error) error { return fmt.Errorf("%w: %w", ErrInvalidInput, err) }
