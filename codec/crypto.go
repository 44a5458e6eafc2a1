package codec

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// Erased is what a personal field reads as once its subject's key has been destroyed.
const Erased = "[erased]"

// SealedPrefix starts every encrypted personal field in stored JSON.
const SealedPrefix = "enc:v1:"

// ErrCiphertext says an encrypted field is malformed or fails authentication: it was
// altered, moved to another field, or encrypted under another key.
var ErrCiphertext = errors.New("encrypted personal data cannot be read")

const nonceSize = 12

// subjectCipher is one subject's key, split by HKDF into an encryption key and a nonce key
// so the two uses never share key material.
type subjectCipher struct {
	aead     cipher.AEAD
	nonceKey []byte
}

func newSubjectCipher(k Key) (*subjectCipher, error) {
	encKey, err := hkdf.Key(sha256.New, k[:], nil, "ledgerdesk pii v1 encryption", 32)
	if err != nil {
		return nil, err
	}
	nonceKey, err := hkdf.Key(sha256.New, k[:], nil, "ledgerdesk pii v1 nonce", 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(encKey)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &subjectCipher{aead: aead, nonceKey: nonceKey}, nil
}

// additionalData binds a ciphertext to the event type and field it was written for.
func additionalData(eventType, path string) []byte {
	return []byte("ledgerdesk pii v1\x00" + eventType + "\x00" + path)
}

// seal encrypts plain deterministically (see the package comment for why that is safe).
func (c *subjectCipher) seal(eventID uuid.UUID, eventType, path string, ordinal int, plain string) string {
	mac := hmac.New(sha256.New, c.nonceKey)
	mac.Write(eventID[:])
	for _, part := range []string{eventType, path, plain} {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(part)))
		mac.Write(n[:])
		mac.Write([]byte(part))
	}
	var ord [8]byte
	binary.BigEndian.PutUint64(ord[:], uint64(ordinal))
	mac.Write(ord[:])
	nonce := mac.Sum(nil)[:nonceSize]

	blob := make([]byte, nonceSize, nonceSize+len(plain)+c.aead.Overhead())
	copy(blob, nonce)
	blob = c.aead.Seal(blob, nonce, []byte(plain), additionalData(eventType, path))
	return SealedPrefix + base64.StdEncoding.EncodeToString(blob)
}

// open reverses seal.
func (c *subjectCipher) open(eventType, path, sealed string) (string, error) {
	blob, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(sealed, SealedPrefix))
	if err != nil {
		return "", fmt.Errorf("%w: field %s: not base64", ErrCiphertext, path)
	}
	if len(blob) < nonceSize+c.aead.Overhead() {
		return "", fmt.Errorf("%w: field %s: too short", ErrCiphertext, path)
	}
	plain, err := c.aead.Open(nil, blob[:nonceSize], blob[nonceSize:], additionalData(eventType, path))
	if err != nil {
		return "", fmt.Errorf("%w: field %s: authentication failed", ErrCiphertext, path)
	}
	return string(plain), nil
}

// isSealed reports whether a stored string is an encrypted personal field.
func isSealed(s string) bool { return strings.HasPrefix(s, SealedPrefix) }
