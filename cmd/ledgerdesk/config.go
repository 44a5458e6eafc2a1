package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"ledgerdesk/adapters/esdb"
	"ledgerdesk/adapters/postgres"
	"ledgerdesk/adapters/postgres/pgserver"
	"ledgerdesk/app"
	"ledgerdesk/commands"
	"ledgerdesk/eventstore"
	"ledgerdesk/migrations"
)

// config is read from the environment once, at start-up; nothing reads it later.
type config struct {
	DatabaseURL string // read models, checkpoints, and the default event store
	EventStore  string // "" or "postgres": the events table; esdb:// or kurrentdb://: KurrentDB
	DataDir     string // where a throwaway PostgreSQL cluster lives when no server is found
	HTTPAddr    string
	GoLive      string
	LogLevel    slog.Level
}

func loadConfig() config {
	c := config{
		DatabaseURL: os.Getenv("DATABASE_URL"),
		EventStore:  os.Getenv("LEDGERDESK_EVENTSTORE"),
		DataDir:     envOr("LEDGERDESK_DATA_DIR", ".ledgerdesk/pgdata"),
		HTTPAddr:    envOr("LEDGERDESK_HTTP_ADDR", "127.0.0.1:8080"),
		GoLive:      os.Getenv("LEDGERDESK_GO_LIVE"),
	}
	if strings.EqualFold(os.Getenv("LEDGERDESK_LOG_LEVEL"), "debug") {
		c.LogLevel = slog.LevelDebug
	}
	return c
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// deps are the outside things a subcommand uses; close releases them.
type deps struct {
	cfg    config
	log    *slog.Logger
	db     *pgxpool.Pool
	store  eventstore.Store
	server *pgserver.Server
	cmds   commands.Deps
	app    *app.App
	// registry holds the metrics of this process's operations.
	registry *prometheus.Registry
	// projectionNames are the read models and policies whose status the app reports.
	projectionNames []string
}

func (d *deps) close() {
	if d.store != nil {
		d.store.Close()
	}
	if d.db != nil {
		d.db.Close()
	}
	if d.server != nil {
		if err := d.server.Stop(); err != nil {
			d.log.Warn("stopping PostgreSQL", "err", err)
		}
	}
}

// connect finds PostgreSQL (starting a private cluster if need be), migrates it, and opens
// the event store that the configuration names.
func connect(ctx context.Context, cfg config, log *slog.Logger) (*deps, error) {
	d := &deps{cfg: cfg, log: log}
	url := cfg.DatabaseURL
	if url == "" {
		srv, err := pgserver.Resolve(ctx, pgserver.Options{DataDir: cfg.DataDir, Logger: log})
		if err != nil {
			return nil, err
		}
		d.server = srv
		url, err = ensureDatabase(ctx, srv.URL, "ledgerdesk")
		if err != nil {
			d.close()
			return nil, err
		}
	}
	if _, err := migrations.ApplyURL(ctx, url); err != nil {
		d.close()
		return nil, err
	}
	pcfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		d.close()
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	if pcfg.MaxConns < 20 {
		pcfg.MaxConns = 20
	}
	if d.db, err = pgxpool.NewWithConfig(ctx, pcfg); err != nil {
		d.close()
		return nil, err
	}
	switch es := cfg.EventStore; {
	case es == "" || es == "postgres":
		d.store = postgres.New(d.db, postgres.Config{})
	case strings.HasPrefix(es, "esdb") || strings.HasPrefix(es, "kurrent") || strings.HasPrefix(es, "kdb"):
		s, err := esdb.Open(ctx, es)
		if err != nil {
			d.close()
			return nil, err
		}
		d.store = s
	default:
		d.close()
		return nil, fmt.Errorf("LEDGERDESK_EVENTSTORE=%q: want postgres, or an esdb:// or kurrentdb:// connection string", es)
	}
	return d, nil
}
