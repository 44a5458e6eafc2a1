package account

import (
	"fmt"
	"time"

	"ledgerdesk/domain/check"
)

func changePassword(s State, c ChangePassword) ([]Event, error) {
	if err := existing(s, c.AccountID, c.At); err != nil {
		return nil, err
	}
	if err := CheckPassword(c.NewPassword, s.Email, s.Name); err != nil {
		return nil, err
	}
	return []Event{PasswordChanged{AccountID: c.AccountID, By: ChangedBySelf, At: c.At}}, nil
}

func requestPasswordReset(s State, c RequestPasswordReset) ([]Event, error) {
	if err := firstErr(existing(s, c.AccountID, c.At), checkTokenHash(c.TokenHash)); err != nil {
		return nil, err
	}
	if _, seen := s.Resets[c.TokenHash]; seen {
		return nil, check.Failf(ErrInvalidInput, "token_hash", "this token was issued before; make a new one")
	}
	return []Event{PasswordResetRequested{
		AccountID: c.AccountID, TokenHash: c.TokenHash, At: c.At, ExpiresAt: c.At.Add(ResetTokenLifetime),
	}}, nil
}

// completePasswordReset accepts only the latest link, unused and unexpired. The checks go
// from the most specific explanation to the least, so a person who clicks an old email
// learns that it was used or replaced rather than just "invalid".
func completePasswordReset(s State, c CompletePasswordReset) ([]Event, error) {
	if err := firstErr(existing(s, c.AccountID, c.At), checkTokenHash(c.TokenHash)); err != nil {
		return nil, err
	}
	if err := s.CheckResetLink(c.TokenHash, c.At); err != nil {
		return nil, err
	}
	if err := CheckPassword(c.NewPassword, s.Email, s.Name); err != nil {
		return nil, err
	}
	return []Event{
		PasswordResetCompleted{AccountID: c.AccountID, TokenHash: c.TokenHash, At: c.At},
		PasswordChanged{AccountID: c.AccountID, By: ChangedByReset, At: c.At},
	}, nil
}

// CheckResetLink says whether the reset link whose token hashes to tokenHash would set a
// password at time at: only the latest link, unused and unexpired, does. The checks go
// from the most specific explanation to the least, so a person who clicks an old email
// learns that it was used or replaced rather than just "invalid". A page can ask before
// the person types a new password; completing the reset asks again.
func (s State) CheckResetLink(tokenHash string, at time.Time) error {
	r, ok := s.Resets[tokenHash]
	switch {
	case !s.Registered() || !ok:
		return fmt.Errorf("%w: request a new link from the login screen", ErrResetTokenInvalid)
	case r.Used:
		return fmt.Errorf("%w: each link works once; request a new one from the login screen", ErrResetTokenUsed)
	case tokenHash != s.LatestReset:
		return fmt.Errorf("%w: use the link in the most recent email, or request a new one", ErrResetTokenReplaced)
	case atOrAfter(at, r.ExpiresAt):
		return fmt.Errorf("%w: links work for %v; request a new one from the login screen", ErrResetTokenExpired, ResetTokenLifetime)
	}
	return nil
}
