package account

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"
)

// Password policy limits. The maximum keeps hashing cost bounded; NIST SP 800-63B asks
// for at least 64 characters to be allowed.
const (
	MinPasswordLength = 12
	MaxPasswordLength = 128
)

// commonPasswords are long enough to pass the length rule yet are the first an attacker
// tries. Checking against a breached-password list is the command layer's job.
var commonPasswords = map[string]bool{
	"password1234": true, "password12345": true, "password123456": true, "passwordpassword": true,
	"123456789012": true, "1234567890123": true, "12345678901234": true, "qwertyuiop12": true,
	"qwertyuiopasdf": true, "qwerty123456": true, "iloveyou1234": true, "letmein12345": true,
	"welcome12345": true, "changeme1234": true, "abcdefghijkl": true, "abc123abc123": true,
	"administrator": true, "psychiatryuk": true, "psychiatry-uk": true, "ledgerdesk123": true,
}

// CheckPassword applies the password policy: 12 to 128 characters, no control characters,
// not the account's email (or the part before the @) or name, not one character repeated,
// not a well-known password. Errors say what to change and never repeat the password.
func CheckPassword(pw, email, name string) error {
	if !utf8.ValidString(pw) || strings.ContainsFunc(pw, unicode.IsControl) {
		return fmt.Errorf("%w: field password: contains characters that cannot be typed", ErrWeakPassword)
	}
	n := utf8.RuneCountInString(pw)
	if n < MinPasswordLength {
		return fmt.Errorf("%w: field password: must be at least %d characters long", ErrWeakPassword, MinPasswordLength)
	}
	if n > MaxPasswordLength {
		return fmt.Errorf("%w: field password: must be at most %d characters long", ErrWeakPassword, MaxPasswordLength)
	}
	lower := strings.ToLower(pw)
	email = strings.ToLower(email)
	local, _, _ := strings.Cut(email, "@")
	if email != "" && (lower == email || lower == local || strings.Contains(lower, email)) {
		return fmt.Errorf("%w: field password: must not be your email address", ErrWeakPassword)
	}
	if name != "" && strings.EqualFold(strings.Join(strings.Fields(pw), " "), name) {
		return fmt.Errorf("%w: field password: must not be your name", ErrWeakPassword)
	}
	first, _ := utf8.DecodeRuneInString(pw)
	if strings.Trim(pw, string(first)) == "" {
		return fmt.Errorf("%w: field password: must not be one character repeated", ErrWeakPassword)
	}
	if commonPasswords[lower] {
		return fmt.Errorf("%w: field password: is one of the most common passwords", ErrWeakPassword)
	}
	return nil
}

// PasswordParams are the argon2id settings: OWASP's first recommendation (46 MiB, one
// pass, one lane). Fixing parallelism, rather than taking the host's CPU count as the
// library default does, keeps the cost the same on every machine. The parameters are
// written into each hash, so raising them later still verifies old hashes.
var PasswordParams = argon2id.Params{Memory: 46 * 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// HashPassword returns the argon2id hash to keep in the credentials table.
func HashPassword(pw string) (string, error) {
	p := PasswordParams
	return argon2id.CreateHash(pw, &p)
}

// VerifyPassword reports whether pw matches hash, in constant time. The error is for a
// hash that cannot be read, not for a wrong password.
func VerifyPassword(pw, hash string) (bool, error) {
	return argon2id.ComparePasswordAndHash(pw, hash)
}
