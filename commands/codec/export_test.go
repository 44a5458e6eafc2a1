package codec

import (
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Pool exposes the store's pool to tests that inspect the table.
func (s *PostgresKeyStore) Pool() *pgxpool.Pool { return s.pool }

// SetClock lets cache tests move time.
func (s *PostgresKeyStore) SetClock(now func() time.Time) { s.now = now }
