package commands

import (
	"context"
	"time"

	"github.com/google/uuid"

	"ledgerdesk/domain/decider"
	"ledgerdesk/eventstore"
)

// Load folds stream into its aggregate's current state and returns it with the stream's
// version (0 for a stream with no events).
func Load[S, C any, E decider.Event](ctx context.Context, deps Deps, agg decider.Decider[S, C, E], stream string) (S, uint64, error) {
	deps, err := deps.check()
	if err != nil {
		return agg.Initial(), 0, err
	}
	h, err := fold(ctx, deps, agg, stream, uuid.Nil, nil)
	return h.state, h.version, err
}

// LoadAsOf is the state as it stood at t: the events recorded at or before t. It folds the
// stream's prefix up to the first event recorded after t, so the state is always one the
// aggregate really passed through, even if recorded times were ever out of order.
func LoadAsOf[S, C any, E decider.Event](ctx context.Context, deps Deps, agg decider.Decider[S, C, E], stream string, t time.Time) (S, uint64, error) {
	deps, err := deps.check()
	if err != nil {
		return agg.Initial(), 0, err
	}
	h, err := fold(ctx, deps, agg, stream, uuid.Nil, func(rec eventstore.RecordedEvent) bool {
		return rec.RecordedAt.After(t)
	})
	return h.state, h.version, err
}
