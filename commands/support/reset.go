package support

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"time"

	"ledgerdesk/commands"
	"ledgerdesk/domain/account"
)

// ResetLink is what goes in a password-reset email. Token is the secret: it is in no
// event and no table, only its SHA-256 is.
type ResetLink struct {
	AccountID string
	Token     string
	ExpiresAt time.Time
}

// RequestPasswordReset issues a reset link for the account registered with email in
// realm. An unknown email is not an error (found is false): the caller tells the person
// "if the address is registered, an email is on its way" either way, so the form does not
// reveal who has an account. A retried request (same command id) returns the same link.
func (s *Service) RequestPasswordReset(ctx context.Context, realm account.Realm, email string, meta commands.Metadata) (link ResetLink, found bool, err error) {
	if err := checkMeta(meta); err != nil {
		return ResetLink{}, false, err
	}
	id, found, err := s.LookupEmail(ctx, realm, email)
	if err != nil || !found {
		return ResetLink{}, false, err
	}
	if meta.Actor == "" {
		meta.Actor = id
	}
	token := s.resetToken(meta)
	res, err := s.execAccount(ctx, account.RequestPasswordReset{AccountID: id, TokenHash: account.HashResetToken(token), At: s.Now()}, meta)
	if err != nil {
		return ResetLink{}, false, err
	}
	link = ResetLink{AccountID: id, Token: token}
	for _, e := range res.Events {
		if r, ok := e.(account.PasswordResetRequested); ok {
			link.ExpiresAt = r.ExpiresAt
		}
	}
	return link, true, nil
}

// resetToken is HMAC(tokenKey, command id): 256 bits nobody can compute without the
// service's key, and the same for a retried command, whose recorded hash it must match.
func (s *Service) resetToken(meta commands.Metadata) string {
	m := hmac.New(sha256.New, s.tokenKey)
	m.Write(meta.CommandID[:])
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// CompletePasswordReset sets a new password with the token from the link. The account's
// decider says whether the link is unknown, used, replaced or expired.
func (s *Service) CompletePasswordReset(ctx context.Context, accountID, token, next string, meta commands.Metadata) error {
	if err := checkMeta(meta); err != nil {
		return err
	}
	if meta.Actor == "" {
		meta.Actor = accountID
	}
	if _, err := s.execAccount(ctx, account.CompletePasswordReset{AccountID: accountID, TokenHash: account.HashResetToken(token), NewPassword: next, At: s.Now()}, meta); err != nil {
		return err
	}
	return s.setPassword(ctx, accountID, next, meta.CommandID)
}
