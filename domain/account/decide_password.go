package account

import (
	"fmt"

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
	r, ok := s.Resets[c.TokenHash]
	switch {
	case !ok:
		return nil, fmt.Errorf("%w: request a new link from the login screen", ErrResetTokenInvalid)
	case r.Used:
		return nil, fmt.Errorf("%w: each link works once; request a new one from the login screen", ErrResetTokenUsed)
	case c.TokenHash != s.LatestReset:
		return nil, fmt.Errorf("%w: use the link in the most recent email, or request a new one", ErrResetTokenReplaced)
	case atOrAfter(c.At, r.ExpiresAt):
		return nil, fmt.Errorf("%w: links work for %v; request a new one from the login screen", ErrResetTokenExpired, ResetTokenLifetime)
	}
	if err := CheckPassword(c.NewPassword, s.Email, s.Name); err != nil {
		return nil, err
	}
	return []Event{
		PasswordResetCompleted{AccountID: c.AccountID, TokenHash: c.TokenHash, At: c.At},
		PasswordChanged{AccountID: c.AccountID, By: ChangedByReset, At: c.At},
	}, nil
}
