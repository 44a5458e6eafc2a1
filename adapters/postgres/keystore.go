package postgres

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"ledgerdesk/codec"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Defaults and limits of a KeyStore.
const (
	// DefaultCacheTTL is how long a key read from the database is reused. It is also the
	// longest another process may still read a subject's data after an erasure elsewhere.
	DefaultCacheTTL = 30 * time.Second
	// DefaultCacheSize caps how many subjects' keys are held in memory.
	DefaultCacheSize = 10_000
)

// KeyStoreConfig configures a KeyStore; the zero value is usable.
type KeyStoreConfig struct {
	// MasterKey, if set, must be 32 bytes (see ParseMasterKey). Every key created is then
	// stored wrapped (AES-256-GCM under the master key, bound to its subject), so a copy of
	// the database alone does not reveal personal data. Keys stored unwrapped before a
	// master key was configured still read. Losing the master key loses every wrapped
	// key: keep it in the deployment's secret store, not in the database.
	MasterKey []byte
	// CacheTTL is how long keys are cached in memory: 0 means DefaultCacheTTL, a negative
	// value turns caching off (every lookup reads the database).
	CacheTTL time.Duration
	// CacheSize caps the cache; 0 means DefaultCacheSize.
	CacheSize int
}

// KeyStore keeps keys in the personal_data_keys table (migrations/003). Erasure
// sets the key to NULL and stamps erased_at; the row is never deleted, so that an erasure
// is itself on record and the subject can never be given a new key. Safe for concurrent
// use by many processes.
type KeyStore struct {
	pool   *pgxpool.Pool
	master cipher.AEAD
	cache  *keyCache
	now    func() time.Time
}

var _ codec.KeyStore = (*KeyStore)(nil)

// NewKeyStore uses pool, whose database has been migrated.
func NewKeyStore(pool *pgxpool.Pool, cfg KeyStoreConfig) (*KeyStore, error) {
	s := &KeyStore{pool: pool, now: time.Now}
	if len(cfg.MasterKey) > 0 {
		if len(cfg.MasterKey) != codec.KeySize {
			return nil, fmt.Errorf("%w: %d bytes, want %d", codec.ErrMasterKey, len(cfg.MasterKey), codec.KeySize)
		}
		block, err := aes.NewCipher(cfg.MasterKey)
		if err != nil {
			return nil, err
		}
		if s.master, err = cipher.NewGCM(block); err != nil {
			return nil, err
		}
	}
	ttl, size := cfg.CacheTTL, cfg.CacheSize
	if ttl == 0 {
		ttl = DefaultCacheTTL
	}
	if size <= 0 {
		size = DefaultCacheSize
	}
	s.cache = newKeyCache(ttl, size)
	return s, nil
}

// KeyFor implements KeyStore. Two processes creating a key for the same subject at once
// both end up with the one that reached the table first.
func (s *KeyStore) KeyFor(ctx context.Context, subject string) (codec.Key, error) {
	if subject == "" {
		return codec.Key{}, codec.ErrNoSubject
	}
	for range 3 {
		k, erased, err := s.Lookup(ctx, subject)
		switch {
		case err == nil && erased:
			return codec.Key{}, fmt.Errorf("%w: %s", codec.ErrSubjectErased, subject)
		case err == nil:
			return k, nil
		case !errors.Is(err, codec.ErrNoKey):
			return codec.Key{}, err
		}
		var fresh codec.Key
		if _, err := rand.Read(fresh[:]); err != nil {
			return codec.Key{}, err
		}
		stored, err := s.wrap(subject, fresh)
		if err != nil {
			return codec.Key{}, err
		}
		if _, err := s.pool.Exec(ctx,
			`INSERT INTO personal_data_keys (subject, key) VALUES ($1, $2) ON CONFLICT (subject) DO NOTHING`,
			subject, stored); err != nil {
			return codec.Key{}, fmt.Errorf("creating personal data key for %s: %w", subject, err)
		}
	}
	return codec.Key{}, fmt.Errorf("creating personal data key for %s: the row did not appear", subject)
}

// Lookup implements KeyStore.
func (s *KeyStore) Lookup(ctx context.Context, subject string) (codec.Key, bool, error) {
	if subject == "" {
		return codec.Key{}, false, codec.ErrNoSubject
	}
	if e, ok := s.cache.get(subject, s.now()); ok {
		return e.key, e.erased, nil
	}
	var stored []byte
	var erased bool
	err := s.pool.QueryRow(ctx,
		`SELECT key, erased_at IS NOT NULL FROM personal_data_keys WHERE subject = $1`, subject).
		Scan(&stored, &erased)
	if errors.Is(err, pgx.ErrNoRows) {
		return codec.Key{}, false, fmt.Errorf("%w: %s", codec.ErrNoKey, subject)
	}
	if err != nil {
		return codec.Key{}, false, fmt.Errorf("reading personal data key for %s: %w", subject, err)
	}
	if erased {
		s.cache.put(subject, cacheEntry{erased: true}, s.now())
		return codec.Key{}, true, nil
	}
	k, err := s.unwrap(subject, stored)
	if err != nil {
		return codec.Key{}, false, err
	}
	s.cache.put(subject, cacheEntry{key: k}, s.now())
	return k, false, nil
}

// Erase implements KeyStore.
func (s *KeyStore) Erase(ctx context.Context, subject string) error {
	if subject == "" {
		return codec.ErrNoSubject
	}
	if _, err := s.pool.Exec(ctx, `
		INSERT INTO personal_data_keys (subject, key, erased_at) VALUES ($1, NULL, now())
		ON CONFLICT (subject) DO UPDATE
		SET key = NULL, erased_at = coalesce(personal_data_keys.erased_at, excluded.erased_at)`,
		subject); err != nil {
		return fmt.Errorf("erasing personal data key for %s: %w", subject, err)
	}
	s.cache.put(subject, cacheEntry{erased: true}, s.now())
	return nil
}

// wrappedV1 marks a key stored wrapped by the master key; an unwrapped key is the bare 32
// bytes.
const wrappedV1 = 1

func wrapAAD(subject string) []byte {
	return []byte("ledgerdesk personal data key v1\x00" + subject)
}

func (s *KeyStore) wrap(subject string, k codec.Key) ([]byte, error) {
	if s.master == nil {
		return k[:], nil
	}
	out := make([]byte, 1+wrapNonceSize, 1+wrapNonceSize+codec.KeySize+s.master.Overhead())
	out[0] = wrappedV1
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, err
	}
	return s.master.Seal(out, out[1:1+wrapNonceSize], k[:], wrapAAD(subject)), nil
}

func (s *KeyStore) unwrap(subject string, stored []byte) (codec.Key, error) {
	var k codec.Key
	switch {
	case len(stored) == codec.KeySize:
		copy(k[:], stored)
		return k, nil
	case len(stored) == 1+wrapNonceSize+codec.KeySize+aesGCMOverhead && stored[0] == wrappedV1:
		if s.master == nil {
			return codec.Key{}, fmt.Errorf("%w: the key of %s is wrapped, but no master key is configured", codec.ErrMasterKey, subject)
		}
		plain, err := s.master.Open(nil, stored[1:1+wrapNonceSize], stored[1+wrapNonceSize:], wrapAAD(subject))
		if err != nil {
			return codec.Key{}, fmt.Errorf("%w: the key of %s does not unwrap with the configured master key", codec.ErrMasterKey, subject)
		}
		copy(k[:], plain)
		return k, nil
	}
	return codec.Key{}, fmt.Errorf("personal data key for %s: stored in an unknown format (%d bytes)", subject, len(stored))
}

const aesGCMOverhead = 16

const wrapNonceSize = 12
