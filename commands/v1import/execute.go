package v1import

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"ledgerdesk/codec"

	"ledgerdesk/commands"
	"ledgerdesk/commands/v1import/v1rows"
	"ledgerdesk/domain/v1item"
	"ledgerdesk/eventstore"
)

// execute appends the decided commands, each on its own item's stream, concurrently.
func execute(ctx context.Context, deps commands.Deps, jobs []job, opts Options, rep *Report) error {
	run := commands.NewCommandID() // correlates everything this run appended
	var imported, conflicts atomic.Int64
	var mu sync.Mutex
	err := parallel(ctx, len(jobs), opts.Workers, progressOf(opts.Progress, StageImporting, len(jobs)), func(ctx context.Context, i int) error {
		j := jobs[i]
		meta := commands.Metadata{CommandID: j.id, CorrelationID: run, CausationID: j.id, Actor: opts.By}
		events, replayed, err := appendDecided(ctx, deps, j, meta)
		var ce *v1item.ConflictError
		switch {
		case errors.As(err, &ce):
			// Another import took the reference with other figures since we read it.
			cmd := conflictCommand([]v1rows.Row{j.row}, opts)
			meta.CommandID = ConflictCommandID(cmd.Variants)
			res, err := commands.Execute(ctx, deps, v1item.Decider, v1item.StreamID(j.reference), v1item.Command(cmd), meta)
			if err != nil {
				return fmt.Errorf("recording a conflict for V1 item %q: %w", j.reference, err)
			}
			events, replayed = res.Events, res.Replayed
			mu.Lock()
			rep.Raced = append(rep.Raced, j.reference)
			mu.Unlock()
		case err != nil:
			return fmt.Errorf("V1 item %q: %w", j.reference, err)
		}
		if replayed {
			return nil // appended by an earlier run of this import, not now
		}
		for _, e := range events {
			switch e.(type) {
			case v1item.V1ItemImported:
				imported.Add(1)
			case v1item.ImportConflictRecorded:
				conflicts.Add(1)
			}
		}
		return nil
	})
	rep.Imported, rep.ConflictsRecorded = int(imported.Load()), int(conflicts.Load())
	slices.Sort(rep.Raced)
	if err != nil {
		return fmt.Errorf("%w: %d of %d items written: %w", ErrInterrupted, rep.Imported+rep.ConflictsRecorded, len(jobs), err)
	}
	return nil
}

// appendDecided appends the events decided against the item as it was read, expecting it
// unchanged: exactly what commands.Execute does, without reading every stream a second
// time, which halves the round trips of a large import. If the item has changed, or this
// command was already appended (a re-run), commands.Execute reads it again, and decides
// again or replays (replayed is then true).
func appendDecided(ctx context.Context, deps commands.Deps, j job, meta commands.Metadata) (events []v1item.Event, replayed bool, err error) {
	stream := v1item.StreamID(j.reference)
	metadata, err := json.Marshal(codec.EventMetadata{CommandID: meta.CommandID, CorrelationID: meta.CorrelationID,
		CausationID: meta.CausationID, Actor: meta.Actor, Command: fmt.Sprintf("%T", j.cmd), Schema: codec.MetadataSchema})
	if err != nil {
		return nil, false, err
	}
	data := make([]eventstore.EventData, len(j.events))
	for i, e := range j.events {
		id := commands.EventID(meta.CommandID, stream, i)
		typ, payload, err := deps.Codec.EncodeWithID(ctx, id, e)
		if err != nil {
			return nil, false, fmt.Errorf("stream %q: %w", stream, err)
		}
		data[i] = eventstore.EventData{ID: id, Type: typ, Data: payload, Metadata: metadata}
	}
	_, err = deps.Store.Append(ctx, stream, eventstore.Exactly(j.read.version), data...)
	if errors.Is(err, eventstore.ErrConflict) || errors.Is(err, eventstore.ErrDuplicateEventID) {
		res, err := commands.Execute(ctx, deps, v1item.Decider, stream, j.cmd, meta)
		return res.Events, res.Replayed, err
	}
	return j.events, false, err
}
