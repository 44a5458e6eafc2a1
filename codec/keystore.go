package codec

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// KeySize is the length of a subject's key: AES-256.
const KeySize = 32

// Key is a data subject's secret. Whoever holds it can read that person's personal data in
// every event; destroying it is what erases them.
type Key [KeySize]byte

// KeyStore keeps one key per data subject.
type KeyStore interface {
	// KeyFor returns the subject's key, creating one if the subject has none yet. It fails
	// with ErrSubjectErased for a subject whose key was erased: erasure is final.
	KeyFor(ctx context.Context, subject string) (Key, error)
	// Lookup returns the subject's key, or erased true (and no key) if it was erased. A
	// subject that never had a key is ErrNoKey.
	Lookup(ctx context.Context, subject string) (key Key, erased bool, err error)
	// Erase destroys the subject's key for good and records that it did; erasing a subject
	// twice, or one that never had a key, succeeds (and the latter can then never get one).
	Erase(ctx context.Context, subject string) error
}

var (
	// ErrSubjectErased says the subject's personal data was erased, so nothing new can be
	// encrypted for them.
	ErrSubjectErased = errors.New("data subject has been erased")
	// ErrNoKey says a subject has no key at all: encrypted data for them cannot be read.
	ErrNoKey = errors.New("no personal data key for data subject")
	// ErrNoSubject says a key was asked for without naming whose.
	ErrNoSubject = errors.New("no data subject")
)

// ErrMasterKey says the master key is missing, malformed, or not the one a key was
// wrapped with.
var ErrMasterKey = errors.New("personal data master key")

// ParseMasterKey reads a master key given in configuration as base64 of 32 random bytes
// (e.g. `openssl rand -base64 32`).
func ParseMasterKey(s string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("%w: not base64: %v", ErrMasterKey, err)
	}
	if len(b) != KeySize {
		return nil, fmt.Errorf("%w: %d bytes, want %d", ErrMasterKey, len(b), KeySize)
	}
	return b, nil
}
