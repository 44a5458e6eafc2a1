// Package migrations holds the database schema as SQL files embedded in the binary and
// applies them with tern, pgx's own migration library: it runs each file in a transaction
// and holds an advisory lock while migrating, so two ledgerdesk processes starting together
// cannot both apply the same migration.
package migrations

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/tern/v2/migrate"
)

//go:embed *.sql
var files embed.FS

// Files is the embedded migration set.
func Files() fs.FS { return files }

// VersionTable records which migrations have been applied.
const VersionTable = "schema_version"

// Apply brings the database at conn up to the latest migration and returns the version.
func Apply(ctx context.Context, conn *pgx.Conn) (int32, error) {
	m, err := migrate.NewMigrator(ctx, conn, VersionTable)
	if err != nil {
		return 0, fmt.Errorf("migrations: %w", err)
	}
	if err := m.LoadMigrations(files); err != nil {
		return 0, fmt.Errorf("migrations: loading embedded files: %w", err)
	}
	if err := m.Migrate(ctx); err != nil {
		return 0, fmt.Errorf("migrations: %w", err)
	}
	v, err := m.GetCurrentVersion(ctx)
	if err != nil {
		return 0, fmt.Errorf("migrations: reading version: %w", err)
	}
	return v, nil
}

// ApplyURL connects to url, migrates and disconnects. A pool's settings in url
// (pool_max_conns and the like) are understood and ignored.
func ApplyURL(ctx context.Context, url string) (int32, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return 0, fmt.Errorf("migrations: %w", err)
	}
	return ApplyConfig(ctx, cfg.ConnConfig)
}

// ApplyConfig connects with cfg, migrates and disconnects.
func ApplyConfig(ctx context.Context, cfg *pgx.ConnConfig) (int32, error) {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return 0, fmt.Errorf("migrations: connecting: %w", err)
	}
	defer conn.Close(ctx)
	return Apply(ctx, conn)
}
