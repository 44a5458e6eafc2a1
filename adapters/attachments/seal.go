package attachments

import (
	"crypto/aes"
	"crypto/cipher"
	"errors"
	"fmt"
	"io"
)

// KeySize is an AES-256 key.
const KeySize = 32

// formatV1 opens every sealed blob: AES-256-GCM with a random 96-bit nonce, laid out as
// version (1 byte) | nonce (12) | ciphertext | tag (16). The version lets a later format
// (another cipher, a key id) sit beside old blobs. With random nonces one key must not
// seal more than 2^32 messages; a per-ticket key seals a handful.
const (
	formatV1  byte = 1
	nonceSize      = 12
	tagSize        = 16
	overhead       = 1 + nonceSize + tagSize
)

// Encryption failures. ErrDecrypt deliberately does not say whether the key, the
// associated data or the ciphertext was wrong.
var (
	ErrInvalidKey = errors.New("encryption key must be 32 bytes")
	ErrDecrypt    = errors.New("cannot decrypt: wrong key, wrong associated data, or tampered data")
)

// NewKey makes a fresh AES-256 key from rand (crypto/rand.Reader in production).
func NewKey(rand io.Reader) ([]byte, error) {
	k := make([]byte, KeySize)
	if _, err := io.ReadFull(rand, k); err != nil {
		return nil, fmt.Errorf("reading randomness for a key: %w", err)
	}
	return k, nil
}

func aead(key []byte) (cipher.AEAD, error) {
	if len(key) != KeySize {
		return nil, ErrInvalidKey
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidKey, err)
	}
	// NewGCMWithRandomNonce draws the nonce from crypto/rand and prepends it.
	return cipher.NewGCMWithRandomNonce(block)
}

// Seal encrypts plaintext under key. associatedData is authenticated but not stored: pass
// what identifies the blob (ticket id and attachment id), so a blob copied under another
// attachment's name fails to open.
func Seal(key, plaintext, associatedData []byte) ([]byte, error) {
	g, err := aead(key)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 1, overhead+len(plaintext))
	out[0] = formatV1
	return g.Seal(out, nil, plaintext, associatedData), nil
}

// Open decrypts what Seal produced with the same key and associated data.
func Open(key, sealed, associatedData []byte) ([]byte, error) {
	g, err := aead(key)
	if err != nil {
		return nil, err
	}
	if len(sealed) < overhead || sealed[0] != formatV1 {
		return nil, ErrDecrypt
	}
	plain, err := g.Open(nil, nil, sealed[1:], associatedData)
	if err != nil {
		return nil, ErrDecrypt
	}
	return plain, nil
}
