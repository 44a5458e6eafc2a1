package commands

import (
	"context"
	"errors"
	"fmt"

	"ledgerdesk/domain/decider"
	"ledgerdesk/eventstore"
)

// Result is what a command did.
type Result[E decider.Event] struct {
	Stream string
	// Version is the stream's version after the command: of its last event, or the version
	// it was decided against when it produced no events.
	Version uint64
	// Events are the events the command appended (or had appended, when Replayed). Empty
	// when the command changed nothing.
	Events []E
	// Position is the global position of the last event appended; a caller that wants to
	// read its own write from a projection waits until the projection has passed it. Zero
	// when nothing was appended.
	Position eventstore.Position
	// Replayed says the command had already been executed: nothing was decided or appended
	// now and Events are the ones recorded then (personal fields erased since then read as
	// codec.Erased).
	Replayed bool
}

// Execute runs cmd against the aggregate in stream. See the package comment for the steps.
// cmd has the aggregate's command interface type: convert a concrete command
// (invoice.Command(invoice.Raise{...})) or go through an Aggregate, which needs no
// conversion.
//
// A rejection by the decider is returned exactly as the decider returned it, so errors.Is
// against the aggregate's sentinel errors works, and nothing is appended. A command id
// that is found in the stream makes this a replay: the recorded result is returned and the
// command is not decided again, even if it differs from the first one (the id is the
// caller's promise that it is the same command).
func Execute[S, C any, E decider.Event](ctx context.Context, deps Deps, agg decider.Decider[S, C, E], stream string, cmd C, meta Metadata) (Result[E], error) {
	deps, err := deps.check()
	if err != nil {
		return Result[E]{}, err
	}
	if meta, err = meta.validate(); err != nil {
		return Result[E]{}, err
	}
	if stream == "" {
		return Result[E]{}, fmt.Errorf("%w: no stream", eventstore.ErrInvalidAppend)
	}
	command := fmt.Sprintf("%T", cmd)
	metadata, err := meta.encode(command)
	if err != nil {
		return Result[E]{}, err
	}

	var duplicate error
	for attempt := 1; ; attempt++ {
		h, err := fold(ctx, deps, agg, stream, meta.CommandID, nil)
		if err != nil {
			return Result[E]{}, err
		}
		if len(h.mine) > 0 {
			deps.Logger.DebugContext(ctx, "command already executed: replaying its result",
				"stream", stream, "command_id", meta.CommandID, "command", command)
			return Result[E]{Stream: stream, Version: h.mineVersion, Events: h.mine, Position: h.minePosition, Replayed: true}, nil
		}
		if duplicate != nil {
			// The store knows our event ids, yet not as this command's events in this
			// stream: the id was used for something else.
			return Result[E]{}, fmt.Errorf("%w: %s on stream %q: %w", ErrCommandIDReused, meta.CommandID, stream, duplicate)
		}

		events, err := agg.Decide(h.state, cmd)
		if err != nil {
			return Result[E]{}, err
		}
		if len(events) == 0 {
			return Result[E]{Stream: stream, Version: h.version}, nil
		}
		data := make([]eventstore.EventData, len(events))
		for i, e := range events {
			id := EventID(meta.CommandID, stream, i)
			typ, payload, err := deps.Codec.EncodeWithID(ctx, id, e)
			if err != nil {
				return Result[E]{}, fmt.Errorf("stream %q: %w", stream, err)
			}
			data[i] = eventstore.EventData{ID: id, Type: typ, Data: payload, Metadata: metadata}
		}

		res, err := deps.Store.Append(ctx, stream, eventstore.Exactly(h.version), data...)
		var conflict *eventstore.ConflictError
		switch {
		case err == nil:
			return Result[E]{Stream: stream, Version: res.Version, Events: events, Position: res.Position}, nil
		case errors.As(err, &conflict):
			if attempt >= deps.MaxAttempts {
				deps.Logger.WarnContext(ctx, "command gave up after repeated version conflicts",
					"stream", stream, "command", command, "attempts", attempt)
				return Result[E]{}, fmt.Errorf("%w: stream %q: gave up after %d attempts: %w", ErrContended, stream, attempt, err)
			}
			deps.Logger.DebugContext(ctx, "version conflict: deciding again",
				"stream", stream, "command", command, "attempt", attempt, "error", err)
			if err := pause(ctx, attempt); err != nil {
				return Result[E]{}, err
			}
		case errors.Is(err, eventstore.ErrDuplicateEventID):
			// Either the same command landed meanwhile (the next read replays it) or its id
			// was reused (the next read says so): the next attempt is the last either way.
			duplicate = err
		default:
			return Result[E]{}, fmt.Errorf("appending to %q: %w", stream, err)
		}
	}
}
