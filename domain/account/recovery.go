package account

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"strings"
	"time"

	"ledgerdesk/domain/check"
)

// Recovery codes: when two-factor is set up the holder is shown RecoveryCodeCount one-time
// codes, once, to sign in with if their phone is lost. Only each code's hash is kept (in
// the event and the state), so nobody who reads the history can sign in with one. A new
// set replaces the old; a two-factor reset retires them all.
const (
	RecoveryCodeCount = 10
	// RecoveryCodeLength is a code's characters without its separators: 12 of a
	// 32-letter alphabet, 60 bits, so a code cannot be guessed and its hash cannot be
	// searched back to it.
	RecoveryCodeLength = 12
	// recoveryAlphabet leaves out the letters read as digits (i, l, o) and u.
	recoveryAlphabet = "0123456789abcdefghjkmnpqrstvwxyz"
)

// FormatRecoveryCode turns RecoveryCodeLength bytes of randomness into a code the holder
// can write down: three groups of four, "7kq2-mx9c-4tdr".
func FormatRecoveryCode(random []byte) (string, error) {
	if len(random) < RecoveryCodeLength {
		return "", fmt.Errorf("a recovery code needs %d random bytes, got %d", RecoveryCodeLength, len(random))
	}
	var b strings.Builder
	for i := range RecoveryCodeLength {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(recoveryAlphabet[random[i]%32])
	}
	return b.String(), nil
}

// ParseRecoveryCode reads a code as a person types it back: any case, with or without
// the dashes or spaces; a typed o, i or l is read as the digit it looks like. It returns
// the code in its one canonical form (no separators), or an error naming the field.
func ParseRecoveryCode(s string) (string, error) {
	if len(s) > 4*RecoveryCodeLength {
		return "", check.Failf(ErrInvalidInput, "recovery_code", "is too long")
	}
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r == '-' || r == ' ' || r == '\t':
			continue
		case r == 'o':
			r = '0'
		case r == 'i' || r == 'l':
			r = '1'
		}
		if r > 127 || !strings.ContainsRune(recoveryAlphabet, r) {
			return "", check.Failf(ErrInvalidInput, "recovery_code", "has a character that is not in a recovery code")
		}
		b.WriteRune(r)
	}
	if b.Len() != RecoveryCodeLength {
		return "", check.Failf(ErrInvalidInput, "recovery_code", "must be %d letters and digits", RecoveryCodeLength)
	}
	return b.String(), nil
}

// HashRecoveryCode is what is kept of a code: the SHA-256 of its canonical form, in hex.
// A code that does not parse has no hash.
func HashRecoveryCode(code string) (string, error) {
	c, err := ParseRecoveryCode(code)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte("ledgerdesk recovery code\x00" + c))
	return hex.EncodeToString(sum[:]), nil
}

// IssueRecoveryCodes replaces the holder's recovery codes with a new set, given as hashes.
type IssueRecoveryCodes struct {
	AccountID string
	Hashes    []string
	At        time.Time
}

// UseRecoveryCode spends one recovery code (given as its hash) at sign-in.
type UseRecoveryCode struct {
	AccountID string
	Hash      string
	At        time.Time
}

func (IssueRecoveryCodes) isAccountCommand() {}
func (UseRecoveryCode) isAccountCommand()    {}

// RecoveryCodesIssued records a new set of recovery codes, as hashes only.
type RecoveryCodesIssued struct {
	AccountID string    `json:"account_id"`
	Hashes    []string  `json:"hashes"`
	At        time.Time `json:"at"`
}

// RecoveryCodeUsed records that one code was spent; it never works again.
type RecoveryCodeUsed struct {
	AccountID string    `json:"account_id"`
	Hash      string    `json:"hash"`
	At        time.Time `json:"at"`
}

func (RecoveryCodesIssued) EventType() string { return "account.recovery_codes_issued.v1" }
func (RecoveryCodeUsed) EventType() string    { return "account.recovery_code_used.v1" }
func (RecoveryCodesIssued) isAccountEvent()   {}
func (RecoveryCodeUsed) isAccountEvent()      {}

// RecoveryCodesLeft is how many of the holder's recovery codes are unused.
func (s State) RecoveryCodesLeft() int {
	n := 0
	for _, used := range s.RecoveryCodes {
		if !used {
			n++
		}
	}
	return n
}

func isHash(h string) bool {
	if len(h) != 2*sha256.Size {
		return false
	}
	_, err := hex.DecodeString(h)
	return err == nil
}

func issueRecoveryCodes(s State, c IssueRecoveryCodes) ([]Event, error) {
	if err := existing(s, c.AccountID, c.At); err != nil {
		return nil, err
	}
	if !s.TwoFactorEnabled() {
		return nil, fmt.Errorf("%w: recovery codes are for an account with two-factor on", ErrTwoFactorNotEnabled)
	}
	if len(c.Hashes) != RecoveryCodeCount {
		return nil, check.Failf(ErrInvalidInput, "hashes", "a set is %d codes, got %d", RecoveryCodeCount, len(c.Hashes))
	}
	seen := map[string]bool{}
	for _, h := range c.Hashes {
		if !isHash(h) {
			return nil, check.Failf(ErrInvalidInput, "hashes", "%q is not a code's hash", h)
		}
		if seen[h] {
			return nil, check.Failf(ErrInvalidInput, "hashes", "the same code twice")
		}
		seen[h] = true
	}
	return []Event{RecoveryCodesIssued{AccountID: c.AccountID, Hashes: append([]string(nil), c.Hashes...), At: c.At}}, nil
}

func useRecoveryCode(s State, c UseRecoveryCode) ([]Event, error) {
	if err := existing(s, c.AccountID, c.At); err != nil {
		return nil, err
	}
	used, ok := s.RecoveryCodes[c.Hash]
	switch {
	case !s.TwoFactorEnabled() || !ok:
		return nil, fmt.Errorf("%w: field recovery_code: it is not one of this account's recovery codes", ErrRecoveryCodeInvalid)
	case used:
		return nil, fmt.Errorf("%w: field recovery_code: it has been used already; each code works once", ErrRecoveryCodeUsed)
	}
	//lint:ignore S1016 a command and its event change independently; a conversion would tie their fields together
	return []Event{RecoveryCodeUsed{AccountID: c.AccountID, Hash: c.Hash, At: c.At}}, nil
}

// evolveRecovery folds the recovery-code events, and retires every code when two-factor
// is reset.
func evolveRecovery(s State, e Event) State {
	switch e := e.(type) {
	case RecoveryCodesIssued:
		s.RecoveryCodes = make(map[string]bool, len(e.Hashes))
		for _, h := range e.Hashes {
			s.RecoveryCodes[h] = false
		}
	case RecoveryCodeUsed:
		s.RecoveryCodes = maps.Clone(s.RecoveryCodes)
		if _, ok := s.RecoveryCodes[e.Hash]; ok {
			s.RecoveryCodes[e.Hash] = true
		}
	case TwoFactorReset:
		s.RecoveryCodes = nil
	}
	return s
}
