package main

import (
	"context"
	"sync"

	earningsrm "ledgerdesk/projections/earnings"

	"ledgerdesk/adapters/pain001"
	"ledgerdesk/adapters/prommetrics"
	"ledgerdesk/app"
	"ledgerdesk/projector"

	"github.com/prometheus/client_golang/prometheus"
)

// application is the application layer on d: every subcommand's commands and queries go
// through it, as the API's do.
func (d *deps) application() (*app.App, error) {
	if d.app != nil {
		return d.app, nil
	}
	cmds, err := d.commandDeps()
	if err != nil {
		return nil, err
	}
	svc, err := supportService(d, cmds, nil)
	if err != nil {
		return nil, err
	}
	if d.registry == nil {
		d.registry = processRegistry
	}
	m, err := processOperations()
	if err != nil {
		return nil, err
	}
	names := d.projectionNames
	a, err := app.New(app.Config{Commands: cmds, DB: d.db, Payouts: earningsrm.Finder{Q: d.db}, Bank: pain001.Writer{}, Support: svc, Metrics: m, Logger: d.log,
		Projections: app.ProjectionsFunc(func(ctx context.Context) ([]app.ProjectionStatus, error) {
			st, err := projector.StatusOf(ctx, d.db, d.store, names)
			out := make([]app.ProjectionStatus, len(st))
			for i, s := range st {
				out[i] = app.ProjectionStatus(s)
			}
			return out, err
		})})
	if err != nil {
		return nil, err
	}
	d.app = a
	return a, nil
}

// processRegistry holds this process's metrics: what `serve` exposes at /metrics, and
// where a CLI run counts its own operations, by the same names and labels.
var processRegistry = prometheus.NewRegistry()

var processOperations = sync.OnceValues(func() (*prommetrics.Operations, error) {
	return prommetrics.New(processRegistry)
})
