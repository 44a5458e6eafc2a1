package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"ledgerdesk/cmd/ledgerdesk/internal/config"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/spf13/cobra"

	"ledgerdesk/adapters/esdb"
	"ledgerdesk/adapters/postgres"
	"ledgerdesk/adapters/postgres/pgserver"
	"ledgerdesk/app"
	"ledgerdesk/commands"
	"ledgerdesk/eventstore"
	"ledgerdesk/migrations"
)

// configKey carries the configuration main read, down to every subcommand.
type configKey struct{}

func withConfig(ctx context.Context, c config.Config) context.Context {
	return context.WithValue(ctx, configKey{}, c)
}

// configOf is the configuration main read and checked before building any subcommand;
// where main did not run (tests), the environment is read now, and a malformed setting is
// an error all the same.
func configOf(ctx context.Context) (config.Config, error) {
	if c, ok := ctx.Value(configKey{}).(config.Config); ok {
		return c, nil
	}
	return config.Load(os.Getenv)
}

// settings is the configuration for a running subcommand. main has already refused a
// malformed one, and withDeps refuses it before connecting, so what is left is valid.
func settings(cmd *cobra.Command) config.Config {
	c, _ := configOf(cmd.Context())
	return c
}

// cliActor is who a CLI command acts as: as (its --as), else LEDGERDESK_ACTOR, else the
// operating-system user.
func cliActor(cmd *cobra.Command, as string) string {
	c := settings(cmd)
	switch {
	case as != "":
		return as
	case c.Actor != "":
		return c.Actor
	case c.OSUser != "":
		return "cli:" + c.OSUser
	}
	return "cli"
}

// loadConfig is configOf for tests, which set the environment and want a value.
func loadConfig() config.Config {
	c, err := config.Load(os.Getenv)
	if err != nil {
		panic(err)
	}
	return c
}

// deps are the outside things a subcommand uses; close releases them.
type deps struct {
	cfg    config.Config
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
func connect(ctx context.Context, cfg config.Config, log *slog.Logger) (*deps, error) {
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
	if cfg.EventStore == "" {
		d.store = postgres.New(d.db, postgres.Config{})
	} else {
		s, err := esdb.Open(ctx, cfg.EventStore)
		if err != nil {
			d.close()
			return nil, fmt.Errorf("LEDGERDESK_EVENTSTORE: %w", err)
		}
		d.store = s
	}
	return d, nil
}
