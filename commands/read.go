package commands

import (
	"context"
	"fmt"
	"reflect"

	"ledgerdesk/codec"

	"github.com/google/uuid"

	"ledgerdesk/domain/check"
	"ledgerdesk/domain/decider"
	"ledgerdesk/eventstore"
)

// history is a stream folded into its aggregate's state.
type history[S any, E decider.Event] struct {
	state   S
	version uint64
	// position is the global position of the last event folded.
	position eventstore.Position
	// mine are the events the command being executed already appended, if it did.
	mine         []E
	mineVersion  uint64
	minePosition eventstore.Position
}

// fold reads stream page by page and folds it. It stops before the first event for which
// stop (if given) is true. A non-nil commandID collects that command's events into mine.
func fold[S, C any, E decider.Event](ctx context.Context, deps Deps, agg decider.Decider[S, C, E], stream string, commandID uuid.UUID, stop func(eventstore.RecordedEvent) bool) (history[S, E], error) {
	h := history[S, E]{state: agg.Initial()}
	// A stream named after an id nobody checked yet (a command loads its stream before
	// deciding) is refused as bad input here, not left for the database to fail on.
	if err := check.Stream(nil, stream); err != nil {
		return h, err
	}
	for {
		recs, err := deps.Store.ReadStream(ctx, stream, h.version+1, readPage)
		if err != nil {
			return h, fmt.Errorf("reading %q: %w", stream, err)
		}
		for _, rec := range recs {
			if stop != nil && stop(rec) {
				return h, nil
			}
			if rec.Version != h.version+1 {
				return h, fmt.Errorf("reading %q: event %s has version %d after version %d", stream, rec.ID, rec.Version, h.version)
			}
			e, err := decodeAs[E](ctx, deps, rec)
			if err != nil {
				return h, err
			}
			if commandID != uuid.Nil {
				// Metadata this package did not write cannot name our command; ignore it.
				if m, err := codec.ParseMetadata(rec.Metadata); err == nil && m.CommandID == commandID {
					h.mine = append(h.mine, e)
					h.mineVersion, h.minePosition = rec.Version, rec.Position
				}
			}
			h.state = agg.Evolve(h.state, e)
			h.version, h.position = rec.Version, rec.Position
		}
		if len(recs) < readPage {
			return h, nil
		}
	}
}

func decodeAs[E decider.Event](ctx context.Context, deps Deps, rec eventstore.RecordedEvent) (E, error) {
	var zero E
	ev, err := deps.Codec.Decode(ctx, rec.Type, rec.Data)
	if err != nil {
		return zero, fmt.Errorf("stream %q version %d: %w", rec.StreamID, rec.Version, err)
	}
	e, ok := ev.(E)
	if !ok {
		return zero, fmt.Errorf("%w: stream %q version %d: %s (%T) is not a %s", ErrForeignEvent, rec.StreamID, rec.Version, rec.Type, ev, reflect.TypeFor[E]())
	}
	return e, nil
}
