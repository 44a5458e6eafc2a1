// Package wiring is the composition root: it builds every part of the binary from the one
// checked config.Config, and returns every wiring error instead of logging it. A Runtime is
// the connected outside things (PostgreSQL, the event store) and what is built on them
// once per process: the command layer, the application layer, the support service and
// the read models. The CLI areas reach everything through it.
package wiring

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"ledgerdesk/cmd/ledgerdesk/internal/devkey"
	"ledgerdesk/cmd/ledgerdesk/internal/keys"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/cobra"

	"ledgerdesk/adapters/esdb"
	"ledgerdesk/adapters/postgres"
	"ledgerdesk/adapters/postgres/pgserver"
	"ledgerdesk/app"
	"ledgerdesk/cmd/ledgerdesk/internal/config"
	"ledgerdesk/commands"
	"ledgerdesk/commands/support"
	"ledgerdesk/eventstore"
	"ledgerdesk/migrations"
)

// Runtime is what a subcommand runs on; Close releases it.
type Runtime struct {
	Config config.Config
	Log    *slog.Logger
	DB     *pgxpool.Pool
	Store  eventstore.Store

	server *pgserver.Server
	cmds   commands.Deps
	app    *app.App
	svc    *support.Service
	// projectionNames are the read models and policies whose status the app reports,
	// known once ReadModels has run.
	projectionNames []string
	// serve and demo say which key policy applies (keys.Resolve); master is its answer.
	serve, demo bool
	master      []byte
}

// Close releases what Open connected; stopping a private PostgreSQL cluster can fail, and
// that is returned.
func (r *Runtime) Close() error {
	if r.Store != nil {
		r.Store.Close()
	}
	if r.DB != nil {
		r.DB.Close()
	}
	if r.server != nil {
		if err := r.server.Stop(); err != nil {
			return fmt.Errorf("stopping PostgreSQL: %w", err)
		}
	}
	return nil
}

// Open finds PostgreSQL (starting a private cluster if need be), migrates it, and opens
// the event store that the configuration names.
func Open(ctx context.Context, cfg config.Config, log *slog.Logger) (*Runtime, error) {
	return OpenWithPool(ctx, cfg, log, CommandPool)
}

// Pool sizes, unless DATABASE_URL names pool_max_conns. Every process of a deployment
// shares one server (a default PostgreSQL allows 100 connections, some reserved): serve
// answers requests and runs the projections, a project process only projects, and any
// other command does one thing. Each process also holds one connection that owns its
// projections (wmstore.Ownership).
const (
	ServePool   = 10
	ProjectPool = 4
	CommandPool = 3
)

// PoolFor is the pool size for a subcommand.
func PoolFor(command string) int32 {
	switch command {
	case "serve":
		return ServePool
	case "project":
		return ProjectPool
	}
	return CommandPool
}

// OpenWithPool is Open with a pool of at most maxConns connections by default.
func OpenWithPool(ctx context.Context, cfg config.Config, log *slog.Logger, maxConns int32) (*Runtime, error) {
	r := &Runtime{Config: cfg, Log: log}
	fail := func(err error) (*Runtime, error) {
		return nil, errors.Join(err, r.Close())
	}
	url := cfg.DatabaseURL
	if url == "" {
		srv, err := pgserver.Resolve(ctx, pgserver.Options{DataDir: cfg.DataDir, Logger: log, ForceThrowaway: cfg.ThrowawayPG})
		if err != nil {
			return nil, err
		}
		r.server = srv
		if url, err = ensureDatabase(ctx, srv.URL, "ledgerdesk"); err != nil {
			return fail(err)
		}
	}
	pcfg, err := postgres.PoolConfig(url, maxConns)
	if err != nil {
		return fail(fmt.Errorf("DATABASE_URL: %w", err))
	}
	if _, err := migrations.ApplyConfig(ctx, pcfg.ConnConfig); err != nil {
		return fail(err)
	}
	if r.DB, err = pgxpool.NewWithConfig(ctx, pcfg); err != nil {
		return fail(err)
	}
	if cfg.EventStore == "" {
		r.Store = postgres.New(r.DB, postgres.Config{Logger: log})
	} else {
		s, err := esdb.Open(ctx, cfg.EventStore)
		if err != nil {
			return fail(fmt.Errorf("LEDGERDESK_EVENTSTORE: %w", err))
		}
		r.Store = s
	}
	return r, nil
}

// configKey carries the configuration main read, down to every subcommand.
type configKey struct{}

// WithConfig is ctx carrying the configuration main read and checked.
func WithConfig(ctx context.Context, c config.Config) context.Context {
	return context.WithValue(ctx, configKey{}, c)
}

// ConfigOf is the configuration main read and checked before building any subcommand;
// where main did not run (tests), the environment is read now, and a malformed setting is
// an error all the same.
func ConfigOf(ctx context.Context) (config.Config, error) {
	if c, ok := ctx.Value(configKey{}).(config.Config); ok {
		return c, nil
	}
	return config.Load(os.Getenv)
}

// Settings is the configuration for a running subcommand. main has already refused a
// malformed one, and With refuses it before connecting, so what is left is valid.
func Settings(cmd *cobra.Command) config.Config {
	c, _ := ConfigOf(cmd.Context())
	return c
}

// Actor is who a CLI command acts as: as (its --as), else LEDGERDESK_ACTOR, else the
// operating-system user.
func Actor(cmd *cobra.Command, as string) string {
	c := Settings(cmd)
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

// NewLogger is the process's logger, at LEDGERDESK_LOG_LEVEL, on stderr.
func NewLogger(cfg config.Config) *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
}

// With runs f on an open Runtime, closing it afterwards.
func With(cmd *cobra.Command, f func(ctx context.Context, r *Runtime) error) error {
	cfg, err := ConfigOf(cmd.Context())
	if err != nil {
		return err
	}
	r, err := OpenWithPool(cmd.Context(), cfg, NewLogger(cfg), PoolFor(cmd.Name()))
	if err != nil {
		return err
	}
	r.serve = cmd.Name() == "serve"
	r.demo, _ = cmd.Flags().GetBool("demo")
	err = f(cmd.Context(), r)
	if cerr := r.Close(); err == nil {
		err = cerr
	}
	return err
}

// MasterKey is the key every personal-data key and the support centre's keys hang from:
// LEDGERDESK_MASTER_KEY, or the development key file where the key policy allows one
// (keys.Resolve: `serve` refuses without a key unless --demo or LEDGERDESK_INSECURE_DEV_KEYS).
func (r *Runtime) MasterKey(ctx context.Context) ([]byte, error) {
	if r.master != nil {
		return r.master, nil
	}
	res, err := keys.Resolve(ctx, r.DB, keys.Options{
		MasterKey: r.Config.MasterKey, Serve: r.serve, Demo: r.demo, InsecureDevKeys: r.Config.InsecureDevKeys,
		DevKeyPath: devkey.PathFor(r.Config.DevKeyFile, r.Config.DataDir), Log: r.Log,
	})
	if err != nil {
		return nil, err
	}
	r.master = res.Master
	return r.master, nil
}
