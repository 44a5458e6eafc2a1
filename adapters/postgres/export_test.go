package postgres

import (
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Pool exposes the key store's pool to tests that inspect the table.
func (s *KeyStore) Pool() *pgxpool.Pool { return s.pool }

// SetClock lets cache tests move time.
func (s *KeyStore) SetClock(now func() time.Time) { s.now = now }

// ListenerPID is the backend pid of the store's live listening connection, 0 while it
// has none, so tests can cut it.
func (s *Store) ListenerPID() uint32 { return s.wake.listenerPID() }
