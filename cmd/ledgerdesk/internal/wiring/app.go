package wiring

import (
	"context"
	"fmt"
	"sync"

	"ledgerdesk/adapters/helparticles"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"ledgerdesk/adapters/pain001"
	"ledgerdesk/adapters/postgres"
	"ledgerdesk/adapters/prommetrics"
	"ledgerdesk/app"
	"ledgerdesk/commands"
	"ledgerdesk/commands/v1import"
	earningsrm "ledgerdesk/projections/earnings"
	"ledgerdesk/projector"
)

// App is the application layer on r, built once: every subcommand's commands and queries
// go through it, as the API's do.
func (r *Runtime) App() (*app.App, error) {
	if r.app != nil {
		return r.app, nil
	}
	cmds, err := r.CommandDeps()
	if err != nil {
		return nil, err
	}
	svc, err := r.SupportService()
	if err != nil {
		return nil, err
	}
	m, err := Operations()
	if err != nil {
		return nil, err
	}
	a, err := app.New(app.Config{Commands: cmds, DB: r.DB, Payouts: earningsrm.Finder{Q: r.DB}, Bank: pain001.Writer{}, Support: svc, Metrics: m, Logger: r.Log,
		Help: helparticles.New(r.DB),
		Projections: app.ProjectionsFunc(func(ctx context.Context) ([]app.ProjectionStatus, error) {
			st, err := projector.StatusOf(ctx, r.DB, r.Store, r.projectionNames)
			out := make([]app.ProjectionStatus, len(st))
			for i, s := range st {
				out[i] = app.ProjectionStatus(s)
			}
			return out, err
		}),
		PayeeCoolingOff: r.Config.PayeeCoolingOff})
	if err != nil {
		return nil, err
	}
	r.app = a
	return a, nil
}

// ImportApp is an application layer on a pool of the V1 import's own, big enough for its
// workers, whose commits do not wait for the disk (synchronous_commit=off). That is safe
// here and only here: an import is idempotent, so a crash that loses its last moments of
// commits loses only what running it again restores; and any later ordinary commit (the
// next command's append, say) flushes everything before it. A read model that saw an
// imported event commits without waiting for the disk too (wmstore's deliveries), but the
// log is written in order: a crash that takes an event back takes back what was derived
// from it. close releases the pool.
func (r *Runtime) ImportApp(ctx context.Context) (a *app.App, close func(), err error) {
	base, err := r.CommandDeps()
	if err != nil {
		return nil, nil, err
	}
	cfg := r.DB.Config()
	cfg.MaxConns = int32(v1import.DefaultWorkers + 4)
	cfg.ConnConfig.RuntimeParams["synchronous_commit"] = "off"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	c, err := r.codecOn(pool)
	if err != nil {
		pool.Close()
		return nil, nil, err
	}
	cmds := commands.Deps{Store: base.Store, Codec: c, Logger: base.Logger}
	if _, ok := base.Store.(*postgres.Store); ok {
		cmds.Store = postgres.New(pool, postgres.Config{})
	}
	m, err := Operations()
	if err != nil {
		pool.Close()
		return nil, nil, err
	}
	if a, err = app.New(app.Config{Commands: cmds, DB: pool, Metrics: m, Logger: r.Log}); err != nil {
		pool.Close()
		return nil, nil, fmt.Errorf("the import's application layer: %w", err)
	}
	return a, pool.Close, nil
}

// Registry holds this process's metrics: what `serve` exposes at /metrics, and where a CLI
// run counts its own operations, by the same names and labels.
func Registry() *prometheus.Registry { return processRegistry }

var processRegistry = prometheus.NewRegistry()

// Operations are the application layer's operation metrics in Registry.
var Operations = sync.OnceValues(func() (*prommetrics.Operations, error) {
	return prommetrics.New(processRegistry)
})
