package support

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ErrSecretsUnreadable says some two-factor secrets open with neither the old nor the new
// key: RotateSecretKey left them as they were.
var ErrSecretsUnreadable = errors.New("two-factor secrets sealed under an unknown key")

// RotatedSecrets counts what RotateSecretKey did with support_totp_secrets.
type RotatedSecrets struct {
	Resealed, Already, Unreadable int64
}

// rotateBatch is how many secrets RotateSecretKey reseals per transaction.
const rotateBatch = 1000

// totpSealKey is the key TOTP secrets are sealed with, derived from Config.SecretKey.
func totpSealKey(secretKey []byte) ([]byte, error) {
	return hkdf.Key(sha256.New, secretKey, nil, "ledgerdesk support totp secrets v1", 32)
}

func totpAEAD(secretKey []byte) (cipher.AEAD, error) {
	k, err := totpSealKey(secretKey)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(k)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCMWithRandomNonce(block)
}

// RotateSecretKey reseals every two-factor secret from the service key oldKey to newKey
// (each a Config.SecretKey, 32 bytes), so that agents keep their authenticator apps when
// the deployment's master key, which the service key is derived from, is rotated. It
// works in batches, each its own transaction; secrets already under newKey are left, so
// it can be run again after an interruption; secrets that open with neither are left and
// counted, and it then fails with ErrSecretsUnreadable. Outstanding password-reset links
// stay valid (their hashes are in the history), but a retried reset request computes a
// new token. Stop the server first: one still holding the old key seals new enrolments
// under it.
func RotateSecretKey(ctx context.Context, db *pgxpool.Pool, oldKey, newKey []byte) (RotatedSecrets, error) {
	var r RotatedSecrets
	if len(oldKey) != SecretKeySize || len(newKey) != SecretKeySize {
		return r, fmt.Errorf("%w: rotating the service key from %d to %d bytes, want %d each", ErrConfig, len(oldKey), len(newKey), SecretKeySize)
	}
	from, err := totpAEAD(oldKey)
	if err != nil {
		return r, err
	}
	to, err := totpAEAD(newKey)
	if err != nil {
		return r, err
	}
	after := ""
	for {
		var n int
		err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
			rows, err := tx.Query(ctx, `SELECT ref, account_id, sealed FROM support_totp_secrets
				WHERE ref > $1 ORDER BY ref LIMIT $2 FOR UPDATE`, after, rotateBatch)
			if err != nil {
				return err
			}
			type row struct {
				Ref, AccountID string
				Sealed         []byte
			}
			read, err := pgx.CollectRows(rows, pgx.RowToStructByPos[row])
			if err != nil {
				return err
			}
			n = len(read)
			var refs []string
			var sealed [][]byte
			for _, x := range read {
				after = x.Ref
				ad := secretAD(x.Ref, x.AccountID)
				if _, err := to.Open(nil, nil, x.Sealed, ad); err == nil {
					r.Already++
					continue
				}
				plain, err := from.Open(nil, nil, x.Sealed, ad)
				if err != nil {
					r.Unreadable++
					continue
				}
				refs, sealed = append(refs, x.Ref), append(sealed, to.Seal(nil, nil, plain, ad))
				r.Resealed++
			}
			if len(refs) == 0 {
				return nil
			}
			_, err = tx.Exec(ctx, `UPDATE support_totp_secrets AS s SET sealed = v.sealed
				FROM unnest($1::text[], $2::bytea[]) AS v(ref, sealed) WHERE s.ref = v.ref`, refs, sealed)
			return err
		})
		if err != nil {
			return r, fmt.Errorf("resealing two-factor secrets after %q: %w", after, err)
		}
		if n < rotateBatch {
			break
		}
	}
	if r.Unreadable > 0 {
		return r, fmt.Errorf("%w: %d secrets open with neither the old nor the new key and were left as they were; the other %d were resealed",
			ErrSecretsUnreadable, r.Unreadable, r.Resealed+r.Already)
	}
	return r, nil
}
