package support

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"

	"ledgerdesk/commands"
	"ledgerdesk/domain/account"
)

// IssueRecoveryCodes gives the holder, whose two-factor is on, a new set of one-time
// recovery codes and returns them to be shown once; the account keeps only their hashes.
// The codes are derived from the command id under the service's secret key (as reset
// tokens are), so a retry of the same command returns the same codes it recorded, and
// nobody without the key can make them.
func (s *Service) IssueRecoveryCodes(ctx context.Context, accountID string, meta commands.Metadata) ([]string, error) {
	if _, err := s.holder(ctx, accountID, meta); err != nil {
		return nil, err
	}
	codes, hashes := make([]string, account.RecoveryCodeCount), make([]string, account.RecoveryCodeCount)
	for i := range codes {
		m := hmac.New(sha256.New, s.tokenKey)
		m.Write(meta.CommandID[:])
		fmt.Fprintf(m, "recovery code %d", i)
		code, err := account.FormatRecoveryCode(m.Sum(nil))
		if err != nil {
			return nil, err
		}
		codes[i] = code
		if hashes[i], err = account.HashRecoveryCode(code); err != nil {
			return nil, err
		}
	}
	derived := meta
	derived.CommandID = commands.DerivedCommandID(meta.CommandID, "support:recovery-codes")
	if _, err := s.execAccount(ctx, account.IssueRecoveryCodes{AccountID: accountID, Hashes: hashes, At: s.Now()}, derived); err != nil {
		return nil, err
	}
	return codes, nil
}

// useRecoveryCode spends one of the account's recovery codes at sign-in.
func (s *Service) useRecoveryCode(ctx context.Context, a account.State, typed string, meta commands.Metadata) error {
	hash, err := account.HashRecoveryCode(typed)
	if err != nil {
		return fmt.Errorf("%w: field code: %w", ErrWrongCode, err)
	}
	_, err = s.execAccount(ctx, account.UseRecoveryCode{AccountID: a.ID, Hash: hash, At: s.Now()}, meta)
	if errors.Is(err, account.ErrRecoveryCodeInvalid) || errors.Is(err, account.ErrRecoveryCodeUsed) {
		return fmt.Errorf("%w: %w", ErrWrongCode, err)
	}
	return err
}

// isRecoveryCode tells a recovery code from an authenticator code: the app's codes are
// six digits, a recovery code is twelve letters and digits.
func isRecoveryCode(code string) bool {
	_, err := account.ParseRecoveryCode(code)
	return err == nil
}
