package codec

import (
	"context"
	"crypto/rand"
	"fmt"
	"sync"
)

// MemoryKeyStore keeps keys in process memory: for tests and tools that hold no personal
// data beyond their own run. Safe for concurrent use.
type MemoryKeyStore struct {
	mu   sync.Mutex
	keys map[string]memoryKey
}

type memoryKey struct {
	key    Key
	erased bool
}

var _ KeyStore = (*MemoryKeyStore)(nil)

// NewMemoryKeyStore returns an empty store.
func NewMemoryKeyStore() *MemoryKeyStore {
	return &MemoryKeyStore{keys: make(map[string]memoryKey)}
}

// KeyFor implements KeyStore.
func (m *MemoryKeyStore) KeyFor(ctx context.Context, subject string) (Key, error) {
	if err := ctx.Err(); err != nil {
		return Key{}, err
	}
	if subject == "" {
		return Key{}, ErrNoSubject
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if k, ok := m.keys[subject]; ok {
		if k.erased {
			return Key{}, fmt.Errorf("%w: %s", ErrSubjectErased, subject)
		}
		return k.key, nil
	}
	var k Key
	if _, err := rand.Read(k[:]); err != nil {
		return Key{}, err
	}
	m.keys[subject] = memoryKey{key: k}
	return k, nil
}

// Lookup implements KeyStore.
func (m *MemoryKeyStore) Lookup(ctx context.Context, subject string) (Key, bool, error) {
	if err := ctx.Err(); err != nil {
		return Key{}, false, err
	}
	if subject == "" {
		return Key{}, false, ErrNoSubject
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	k, ok := m.keys[subject]
	switch {
	case !ok:
		return Key{}, false, fmt.Errorf("%w: %s", ErrNoKey, subject)
	case k.erased:
		return Key{}, true, nil
	}
	return k.key, false, nil
}

// Erase implements KeyStore.
func (m *MemoryKeyStore) Erase(ctx context.Context, subject string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if subject == "" {
		return ErrNoSubject
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.keys[subject] = memoryKey{erased: true}
	return nil
}
