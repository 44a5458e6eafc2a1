package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"ledgerdesk/codec"

	"github.com/google/uuid"

	"ledgerdesk/commands"
	"ledgerdesk/eventstore"
)

// Entry is one event as an auditor reads it.
type Entry struct {
	Position      eventstore.Position `json:"position"`
	EventID       uuid.UUID           `json:"event_id"`
	Stream        string              `json:"stream"`
	Version       uint64              `json:"version"`
	Type          string              `json:"type"`
	RecordedAt    time.Time           `json:"recorded_at"`
	Actor         string              `json:"actor,omitempty"`
	Command       string              `json:"command,omitempty"`
	CommandID     uuid.UUID           `json:"command_id"`
	CorrelationID uuid.UUID           `json:"correlation_id"`
	CausationID   uuid.UUID           `json:"causation_id"`
	// Data is the event decoded through the codec, so erased personal data reads as
	// codec.Erased, and encoded again as JSON.
	Data json.RawMessage `json:"data"`
	// Problem says why the event could not be decoded (then Data is the stored JSON).
	Problem string `json:"problem,omitempty"`
}

// historyPage is how many events History reads at a time.
const historyPage = 1000

// History lists every event of stream in order. An event the codec cannot read is listed
// with its stored data and the reason, not dropped: an auditor must see the whole stream.
func History(ctx context.Context, deps commands.Deps, stream string) ([]Entry, error) {
	var out []Entry
	for from := uint64(1); ; {
		recs, err := deps.Store.ReadStream(ctx, stream, from, historyPage)
		if err != nil {
			return nil, fmt.Errorf("history of %q: %w", stream, err)
		}
		for _, rec := range recs {
			out = append(out, entryOf(ctx, deps, rec))
			from = rec.Version + 1
		}
		if len(recs) < historyPage {
			return out, nil
		}
	}
}

func entryOf(ctx context.Context, deps commands.Deps, rec eventstore.RecordedEvent) Entry {
	e := Entry{Position: rec.Position, EventID: rec.ID, Stream: rec.StreamID, Version: rec.Version, Type: rec.Type, RecordedAt: rec.RecordedAt}
	if m, err := codec.ParseMetadata(rec.Metadata); err != nil {
		e.Problem = err.Error()
	} else {
		e.Actor, e.Command, e.CommandID, e.CorrelationID, e.CausationID = m.Actor, m.Command, m.CommandID, m.CorrelationID, m.CausationID
	}
	data, err := decodedJSON(ctx, deps, rec)
	if err != nil {
		e.Problem = err.Error()
	}
	e.Data = data
	return e
}

// decodedJSON is the event read through the codec and written as JSON again; on failure
// the stored JSON, which holds personal data only encrypted, and the error.
func decodedJSON(ctx context.Context, deps commands.Deps, rec eventstore.RecordedEvent) (json.RawMessage, error) {
	ev, err := deps.Codec.Decode(ctx, rec.Type, rec.Data)
	if err != nil {
		return rec.Data, err
	}
	b, err := json.Marshal(ev)
	if err != nil {
		return rec.Data, err
	}
	return b, nil
}
