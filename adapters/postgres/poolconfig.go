package postgres

import (
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
)

// PoolConfig parses a connection string for a pool of at most defaultMax connections,
// unless the string names its own pool_max_conns, which wins. A PostgreSQL server is shared
// by every process of a deployment (and often by other software): each process takes only
// what it needs, and an operator can say exactly how much.
func PoolConfig(url string, defaultMax int32) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("database URL: %w", err)
	}
	// pgxpool leaves no trace of whether the setting was given (its default is the number
	// of CPUs), so the string itself is what says so.
	if !strings.Contains(url, "pool_max_conns") && defaultMax > 0 {
		cfg.MaxConns = defaultMax
	}
	if cfg.MinConns > cfg.MaxConns {
		cfg.MinConns = cfg.MaxConns
	}
	return cfg, nil
}
