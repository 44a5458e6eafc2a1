package v1import

import (
	"context"
	"fmt"
	"time"

	"ledgerdesk/commands"
	"ledgerdesk/domain/v1item"
)

// TickOff records that the accounts department settled the item in V1. meta.Actor is who
// did; ticking an item already ticked is v1item.ErrAlreadyTickedOff.
func TickOff(ctx context.Context, deps commands.Deps, reference, note string, at time.Time, meta commands.Metadata) (v1item.TickedOff, error) {
	return one[v1item.TickedOff](ctx, deps, reference, v1item.TickOff{By: meta.Actor, At: at, Note: note}, meta)
}

// UndoTickOff withdraws a tick, with the reason, which is recorded too.
func UndoTickOff(ctx context.Context, deps commands.Deps, reference, reason string, at time.Time, meta commands.Metadata) (v1item.TickOffUndone, error) {
	return one[v1item.TickOffUndone](ctx, deps, reference, v1item.UndoTickOff{By: meta.Actor, At: at, Reason: reason}, meta)
}

// one executes cmd on the item and returns the one event it must produce.
func one[E v1item.Event](ctx context.Context, deps commands.Deps, reference string, cmd v1item.Command, meta commands.Metadata) (E, error) {
	var zero E
	if reference == "" {
		return zero, fmt.Errorf("%w: no V1 reference given", v1item.ErrNotImported)
	}
	res, err := commands.Execute(ctx, deps, v1item.Decider, v1item.StreamID(reference), cmd, meta)
	if err != nil {
		return zero, fmt.Errorf("v1_reference %q: %w", reference, err)
	}
	for _, e := range res.Events {
		if e, ok := e.(E); ok {
			return e, nil
		}
	}
	return zero, fmt.Errorf("v1_reference %q: %T recorded nothing", reference, cmd)
}
