package support

import (
	"context"
	"fmt"
	"net/url"

	"ledgerdesk/commands"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/contact"
)

// Login is what a sign-in form sends. IP is the address the request came from; Code is
// the authenticator code, needed only when two-factor is on, or one of the account's
// one-time recovery codes.
type Login struct {
	Realm    account.Realm
	Email    string
	Password string
	Code     string
	IP       string
}

// Authenticate checks a sign-in and returns the account id. An unknown email and a wrong
// password are the same ErrInvalidCredentials, and take as long. A blocked IP is told
// apart, since the support centre's own advice starts there ("cannot see the login
// screen? your IP is blocked: raise a ticket with it").
func (s *Service) Authenticate(ctx context.Context, l Login) (string, error) {
	id, found, err := s.LookupEmail(ctx, l.Realm, l.Email)
	if err != nil {
		return "", err
	}
	if !found {
		_, _ = account.VerifyPassword(l.Password, s.dummy())
		return "", ErrInvalidCredentials
	}
	a, err := s.loadAccount(ctx, id)
	if err != nil {
		return "", err
	}
	if l.IP != "" {
		ip, err := contact.ParseIP(l.IP)
		if err != nil {
			return "", fmt.Errorf("%w: %w", account.ErrInvalidInput, err)
		}
		if _, blocked := a.BlockedIPs[ip]; blocked {
			return "", fmt.Errorf("%w: raise a blocked_ip ticket on the support site with this address", ErrIPBlocked)
		}
	}
	ok, err := s.checkPassword(ctx, id, l.Password)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", ErrInvalidCredentials
	}
	if a.TwoFactorEnabled() {
		if l.Code == "" {
			return "", ErrTwoFactorRequired
		}
		// A lost phone: one of the recovery codes shown at set-up stands in for the
		// app's code, once. Spending it is recorded on the account, by the account.
		if isRecoveryCode(l.Code) {
			if err := s.useRecoveryCode(ctx, a, l.Code, commands.Metadata{CommandID: commands.NewCommandID(), Actor: id}); err != nil {
				return "", err
			}
			return id, nil
		}
		sec, err := s.secret(ctx, a.TwoFactorSecretRef, id)
		if err != nil {
			return "", err
		}
		if err := s.useCode(ctx, sec, l.Code, false); err != nil {
			return "", err
		}
	}
	return id, nil
}

// otpauthURL is the Key URI Format authenticator apps read from a QR code.
func otpauthURL(issuer, accountName, secret string) string {
	v := url.Values{}
	v.Set("secret", secret)
	v.Set("issuer", issuer)
	v.Set("algorithm", "SHA1")
	v.Set("digits", "6")
	v.Set("period", "30")
	return (&url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + issuer + ":" + accountName, RawQuery: v.Encode()}).String()
}
