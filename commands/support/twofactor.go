package support

import (
	"context"
	"errors"
	"fmt"

	"ledgerdesk/commands"
	"ledgerdesk/domain/account"
)

// Enrolment is a two-factor set-up in progress: the holder scans URL (an otpauth:// URI,
// shown as a QR code) or types Secret, then confirms with a code.
type Enrolment struct {
	SecretRef string
	Secret    string
	URL       string
}

// BeginTwoFactor makes a TOTP secret for the holder and keeps it sealed under a new
// reference; nothing is enrolled until ConfirmTwoFactor. A retry returns the same secret.
func (s *Service) BeginTwoFactor(ctx context.Context, accountID string, meta commands.Metadata) (Enrolment, error) {
	a, err := s.holder(ctx, accountID, meta)
	if err != nil {
		return Enrolment{}, err
	}
	if a.TwoFactorEnabled() {
		return Enrolment{}, fmt.Errorf("%w: reset it through a support ticket before enrolling a new device", account.ErrTwoFactorEnrolled)
	}
	ref := derivedID(meta, "totp")
	secret, _, err := account.NewTOTPKey(s.cfg.Issuer, a.Email, s.cfg.Rand)
	if err != nil {
		return Enrolment{}, err
	}
	kept, err := s.storeSecret(ctx, ref, accountID, secret)
	if err != nil {
		return Enrolment{}, err
	}
	return Enrolment{SecretRef: ref, Secret: kept.Secret, URL: otpauthURL(s.cfg.Issuer, a.Email, kept.Secret)}, nil
}

// ConfirmTwoFactor enrols the secret under ref once the holder types a valid code for it.
func (s *Service) ConfirmTwoFactor(ctx context.Context, accountID, ref, code string, meta commands.Metadata) error {
	if _, err := s.holder(ctx, accountID, meta); err != nil {
		return err
	}
	sec, err := s.secret(ctx, ref, accountID)
	if err != nil {
		return err
	}
	if err := s.useCode(ctx, sec, code, true); err != nil {
		return err
	}
	_, err = s.execAccount(ctx, account.EnrolTwoFactor{AccountID: accountID, SecretRef: ref, At: s.Now()}, meta)
	return err
}

// useCode checks code against sec at the service's time and uses it up.
func (s *Service) useCode(ctx context.Context, sec totpSecret, code string, confirm bool) error {
	step, ok, err := account.TOTPStep(code, sec.Secret, s.Now())
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%w: field code: check the time on your phone and try the newest code", ErrWrongCode)
	}
	fresh, err := s.acceptStep(ctx, sec.Ref, step, confirm)
	if err != nil {
		return err
	}
	if !fresh {
		return fmt.Errorf("%w: field code: that code was already used; wait for the next one", ErrWrongCode)
	}
	return nil
}

// TwoFactorReset is what the identity-verified policy asks for.
type TwoFactorReset struct {
	PortalAccountID string
	TicketID        string
	AgentID         string
}

// ResetTwoFactor turns the portal account's two-factor off after an agent verified the
// holder's identity on a ticket, and deletes the secrets that were enrolled. done is false
// when two-factor was already off (a reset done before, by this command or another), which
// is not an error: the policy that calls this must be able to run twice.
func (s *Service) ResetTwoFactor(ctx context.Context, r TwoFactorReset, meta commands.Metadata) (done bool, err error) {
	if err := checkMeta(meta); err != nil {
		return false, err
	}
	res, err := s.execAccount(ctx, account.ResetTwoFactor{AccountID: r.PortalAccountID, TicketID: r.TicketID, AgentID: r.AgentID, At: s.Now()}, meta)
	if err != nil && !errors.Is(err, account.ErrTwoFactorNotEnabled) {
		return false, err
	}
	a, lerr := s.loadAccount(ctx, r.PortalAccountID)
	if lerr != nil {
		return false, lerr
	}
	if ferr := s.forgetSecrets(ctx, r.PortalAccountID, a.TwoFactorSecretRef); ferr != nil {
		return false, ferr
	}
	return err == nil && len(res.Events) > 0 && !res.Replayed, nil
}
