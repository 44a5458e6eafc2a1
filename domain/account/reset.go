package account

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"time"

	"ledgerdesk/domain/check"
)

// ResetTokenLifetime is how long an emailed reset link works: short, as the support centre
// promises, and long enough for a slow mail server.
const ResetTokenLifetime = time.Hour

const resetTokenBytes = 32

// NewResetToken makes the secret for a reset link from rand (crypto/rand.Reader in
// production): the token goes in the email, only the hash goes in RequestPasswordReset.
func NewResetToken(rand io.Reader) (token, hash string, err error) {
	b := make([]byte, resetTokenBytes)
	if _, err := io.ReadFull(rand, b); err != nil {
		return "", "", fmt.Errorf("reading randomness for a reset token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashResetToken(token), nil
}

// HashResetToken is the SHA-256 hex of a token taken from a reset link. A fast hash is
// enough: the token has 256 bits of entropy, so there is nothing to brute-force.
func HashResetToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func checkTokenHash(h string) error { return check.SHA256Hex(ErrInvalidInput, "token_hash", h) }
