package support

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"ledgerdesk/domain/account"
)

// setPassword hashes pw into the credentials table on behalf of command commandID.
func (s *Service) setPassword(ctx context.Context, accountID, pw string, commandID uuid.UUID) error {
	hash, err := account.HashPassword(pw)
	if err != nil {
		return fmt.Errorf("hashing the password of %s: %w", accountID, err)
	}
	_, err = s.cfg.DB.Exec(ctx, `INSERT INTO support_credentials (account_id, password_hash, set_by_command) VALUES ($1, $2, $3)
		ON CONFLICT (account_id) DO UPDATE SET password_hash = excluded.password_hash, set_by_command = excluded.set_by_command, updated_at = now()`,
		accountID, hash, commandID)
	if err != nil {
		return fmt.Errorf("storing the password of %s: %w", accountID, err)
	}
	return nil
}

// credential is an account's stored hash and the command that set it; found is false for
// an account without a password.
func (s *Service) credential(ctx context.Context, accountID string) (hash string, setBy uuid.UUID, found bool, err error) {
	err = s.cfg.DB.QueryRow(ctx, `SELECT password_hash, set_by_command FROM support_credentials WHERE account_id = $1`, accountID).Scan(&hash, &setBy)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", uuid.Nil, false, nil
	}
	if err != nil {
		return "", uuid.Nil, false, fmt.Errorf("reading the password of %s: %w", accountID, err)
	}
	return hash, setBy, true, nil
}

// checkPassword reports whether pw is the account's password. An account without one
// is checked against a dummy hash so it takes as long as any other refusal.
func (s *Service) checkPassword(ctx context.Context, accountID, pw string) (bool, error) {
	hash, _, found, err := s.credential(ctx, accountID)
	if err != nil {
		return false, err
	}
	if !found {
		_, _ = account.VerifyPassword(pw, s.dummy())
		return false, nil
	}
	ok, err := account.VerifyPassword(pw, hash)
	if err != nil {
		return false, fmt.Errorf("checking the password of %s: %w", accountID, err)
	}
	return ok, nil
}
