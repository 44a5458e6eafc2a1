package app

import (
	"context"
	"time"

	"ledgerdesk/app/authz"
	"ledgerdesk/eventstore"
)

// ProjectionStatus is where one read model or policy stands (the fields, and so the JSON,
// of projector.Status, which the runner reports).
type ProjectionStatus struct {
	Name       string
	Position   eventstore.Position
	EventsSeen int64
	UpdatedAt  time.Time
	// Lag is how many events it has still to apply; -1 when unknown.
	Lag    int64
	Parked int64
}

// Projections is what the application needs from whatever runs the read models.
type Projections interface {
	Status(ctx context.Context) ([]ProjectionStatus, error)
}

var readProjectionStatus = declare(query("projections.read", authz.Rule{authz.ITSupport: authz.Any, authz.Auditor: authz.Any, authz.Admin: authz.Any}))

// ProjectionStatus is where every read model and policy stands.
func (a *App) ProjectionStatus(ctx context.Context, call Call) ([]ProjectionStatus, error) {
	return run(ctx, a, call, readProjectionStatus, func(ctx context.Context, _ *Request) ([]ProjectionStatus, error) {
		if a.cfg.Projections == nil {
			return nil, ErrNotConfigured
		}
		return a.cfg.Projections.Status(ctx)
	})
}

// ProjectionsFunc is a function that reports projection status, as a Projections.
type ProjectionsFunc func(ctx context.Context) ([]ProjectionStatus, error)

// Status implements Projections.
func (f ProjectionsFunc) Status(ctx context.Context) ([]ProjectionStatus, error) { return f(ctx) }
