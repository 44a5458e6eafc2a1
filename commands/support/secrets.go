package support

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// totpSecret is one row of support_totp_secrets, opened.
type totpSecret struct {
	Ref       string
	AccountID string
	Secret    string
	Confirmed bool
	LastStep  int64
}

func (s *Service) secretAEAD() (cipher.AEAD, error) {
	block, err := aes.NewCipher(s.sealKey)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCMWithRandomNonce(block)
}

// secretAD binds a sealed secret to its row, so a secret copied to another account's row
// does not open there.
func secretAD(ref, accountID string) []byte { return []byte("totp\x00" + ref + "\x00" + accountID) }

// storeSecret keeps a new secret under ref unless ref already holds one (a retried
// enrolment), and returns what ref holds.
func (s *Service) storeSecret(ctx context.Context, ref, accountID, secret string) (totpSecret, error) {
	g, err := s.secretAEAD()
	if err != nil {
		return totpSecret{}, err
	}
	sealed := g.Seal(nil, nil, []byte(secret), secretAD(ref, accountID))
	if _, err := s.cfg.DB.Exec(ctx, `INSERT INTO support_totp_secrets (ref, account_id, sealed) VALUES ($1, $2, $3)
		ON CONFLICT (ref) DO NOTHING`, ref, accountID, sealed); err != nil {
		return totpSecret{}, fmt.Errorf("storing a two-factor secret: %w", err)
	}
	return s.secret(ctx, ref, accountID)
}

// secret opens the secret under ref, which must belong to accountID.
func (s *Service) secret(ctx context.Context, ref, accountID string) (totpSecret, error) {
	var sealed []byte
	t := totpSecret{Ref: ref}
	err := s.cfg.DB.QueryRow(ctx, `SELECT account_id, sealed, confirmed, last_step FROM support_totp_secrets WHERE ref = $1`, ref).
		Scan(&t.AccountID, &sealed, &t.Confirmed, &t.LastStep)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && t.AccountID != accountID) {
		return totpSecret{}, fmt.Errorf("%w: field secret_ref", ErrNoSuchEnrolment)
	}
	if err != nil {
		return totpSecret{}, fmt.Errorf("reading a two-factor secret: %w", err)
	}
	g, err := s.secretAEAD()
	if err != nil {
		return totpSecret{}, err
	}
	plain, err := g.Open(nil, nil, sealed, secretAD(ref, accountID))
	if err != nil {
		return totpSecret{}, fmt.Errorf("%w: the two-factor secret does not decrypt with this deployment's key", ErrConfig)
	}
	t.Secret = string(plain)
	return t, nil
}

// acceptStep records that the code of 30-second step was used, once: a second use of the
// same code (or an older one) is refused.
func (s *Service) acceptStep(ctx context.Context, ref string, step int64, confirm bool) (bool, error) {
	tag, err := s.cfg.DB.Exec(ctx, `UPDATE support_totp_secrets SET last_step = $2, confirmed = confirmed OR $3
		WHERE ref = $1 AND last_step < $2`, ref, step, confirm)
	if err != nil {
		return false, fmt.Errorf("recording a two-factor code: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// forgetSecrets deletes an account's enrolled secrets other than keep, after a reset.
func (s *Service) forgetSecrets(ctx context.Context, accountID, keep string) error {
	if _, err := s.cfg.DB.Exec(ctx, `DELETE FROM support_totp_secrets WHERE account_id = $1 AND confirmed AND ref <> $2`, accountID, keep); err != nil {
		return fmt.Errorf("deleting the two-factor secrets of %s: %w", accountID, err)
	}
	return nil
}
