package postgres

import (
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Pool exposes the key store's pool to tests that inspect the table.
func (s *KeyStore) Pool() *pgxpool.Pool { return s.pool }

// SetClock lets cache tests move time.
func (s *KeyStore) SetClock(now func() time.Time) { s.now = now }
