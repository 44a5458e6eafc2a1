package support

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

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

// ErrResetLinkGone says a reset request's link can no longer be used (it was used,
// replaced by a newer one, or has expired), so its email is not worth sending.
var ErrResetLinkGone = errors.New("the password reset link can no longer be used")

// ResetMail is what the email for one reset request says: to whom, and the link's secret.
type ResetMail struct {
	AccountID string
	To        string
	Name      string
	Token     string
	ExpiresAt time.Time
}

// ResetMailFor is the email for the reset that command commandID requested on accountID:
// the token is derived again from the command id (it is stored nowhere), and the account's
// history says whether the link still works. One that does not is ErrResetLinkGone:
// sending a link that is used, replaced or expired would only confuse.
func (s *Service) ResetMailFor(ctx context.Context, accountID string, commandID uuid.UUID) (ResetMail, error) {
	a, err := s.Account(ctx, accountID)
	if err != nil {
		return ResetMail{}, err
	}
	token := s.resetToken(commands.Metadata{CommandID: commandID})
	hash := account.HashResetToken(token)
	r, ok := a.Resets[hash]
	switch {
	case !ok:
		return ResetMail{}, fmt.Errorf("%w: the account has no reset requested by command %s", ErrResetLinkGone, commandID)
	case r.Used:
		return ResetMail{}, fmt.Errorf("%w: it has been used", ErrResetLinkGone)
	case hash != a.LatestReset:
		return ResetMail{}, fmt.Errorf("%w: a newer link replaced it", ErrResetLinkGone)
	case !s.Now().Before(r.ExpiresAt):
		return ResetMail{}, fmt.Errorf("%w: it expired at %s", ErrResetLinkGone, r.ExpiresAt.Format(time.RFC3339))
	}
	return ResetMail{AccountID: accountID, To: a.Email, Name: a.Name, Token: token, ExpiresAt: r.ExpiresAt}, nil
}

// CheckResetLink says whether a reset link would set a password now, without using it:
// nil, or the account decider's reason (used, replaced, expired, not valid).
func (s *Service) CheckResetLink(ctx context.Context, accountID, token string) error {
	a, err := s.loadAccount(ctx, accountID)
	if err != nil {
		return err
	}
	return a.CheckResetLink(account.HashResetToken(token), s.Now())
}
