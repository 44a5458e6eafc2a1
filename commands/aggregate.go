package commands

import (
	"context"
	"fmt"
	"time"

	"ledgerdesk/domain/decider"
	"ledgerdesk/eventstore"
)

// Aggregate pairs a decider with the rule that names a command's stream, so callers can
// pass a concrete command (invoice.Raise{...}) where the generic functions would need it
// converted to the aggregate's command interface first.
type Aggregate[S, C any, E decider.Event] struct {
	Decider decider.Decider[S, C, E]
	// Stream names the stream cmd acts on, e.g. from its id field: "invoice-" + id.
	Stream func(cmd C) string
}

// Execute runs cmd on the stream Stream names; see the package function Execute.
func (a Aggregate[S, C, E]) Execute(ctx context.Context, deps Deps, cmd C, meta Metadata) (Result[E], error) {
	if a.Stream == nil {
		return Result[E]{}, fmt.Errorf("%w: aggregate has no Stream function", eventstore.ErrInvalidAppend)
	}
	return Execute(ctx, deps, a.Decider, a.Stream(cmd), cmd, meta)
}

// Load is the package function Load for this aggregate.
func (a Aggregate[S, C, E]) Load(ctx context.Context, deps Deps, stream string) (S, uint64, error) {
	return Load(ctx, deps, a.Decider, stream)
}

// LoadAsOf is the package function LoadAsOf for this aggregate.
func (a Aggregate[S, C, E]) LoadAsOf(ctx context.Context, deps Deps, stream string, t time.Time) (S, uint64, error) {
	return LoadAsOf(ctx, deps, a.Decider, stream, t)
}
