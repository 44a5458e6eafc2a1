package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/url"
	"time"

	"ledgerdesk/codec"

	"github.com/cloudevents/sdk-go/v2/event"

	"ledgerdesk/commands"
	"ledgerdesk/eventstore"
)

// SourcePrefix starts the CloudEvents source of every exported event; the stream id
// follows, so source and id together name the event anywhere.
const SourcePrefix = "/ledgerdesk/streams/"

// ExportPage is how many events Export reads at a time.
const ExportPage = 1000

// Export writes, one JSON object per line, every event recorded in [from, to) as a
// CloudEvent (specversion 1.0): id = event id, source = SourcePrefix + stream, type = the
// event type, subject = stream, time = recorded at, data = the event read through the codec
// (erased personal data reads as erased), and as extensions the stream version, global
// position, actor, command, correlation and causation ids. It returns how many it wrote.
// The history is read in global order; a zero to means no upper bound.
func Export(ctx context.Context, deps commands.Deps, from, to time.Time, w io.Writer) (int, error) {
	n := 0
	for pos := eventstore.Start; ; {
		batch, err := deps.Store.ReadAll(ctx, pos, ExportPage)
		if err != nil {
			return n, fmt.Errorf("export: %w", err)
		}
		for _, rec := range batch {
			pos = rec.Position
			if rec.RecordedAt.Before(from) || (!to.IsZero() && !rec.RecordedAt.Before(to)) {
				continue
			}
			ce, err := CloudEvent(ctx, deps, rec)
			if err != nil {
				return n, err
			}
			line, err := json.Marshal(ce)
			if err != nil {
				return n, fmt.Errorf("export: event %s: %w", rec.ID, err)
			}
			if _, err := w.Write(append(line, '\n')); err != nil {
				return n, fmt.Errorf("export: %w", err)
			}
			n++
		}
		if len(batch) < ExportPage {
			return n, nil
		}
	}
}

// CloudEvent is one recorded event as a CloudEvent (see Export). An event the codec cannot
// read is exported with its stored data and an "undecoded" extension saying why.
func CloudEvent(ctx context.Context, deps commands.Deps, rec eventstore.RecordedEvent) (event.Event, error) {
	ce := event.New(event.CloudEventsVersionV1)
	ce.SetID(rec.ID.String())
	ce.SetSource(SourcePrefix + url.PathEscape(rec.StreamID))
	ce.SetType(rec.Type)
	ce.SetSubject(rec.StreamID)
	ce.SetTime(rec.RecordedAt)
	if rec.Version <= math.MaxInt32 {
		ce.SetExtension("streamversion", int32(rec.Version))
	} else {
		ce.SetExtension("streamversion", fmt.Sprint(rec.Version))
	}
	ce.SetExtension("position", rec.Position.String())
	if m, err := codec.ParseMetadata(rec.Metadata); err == nil && m.Actor != "" {
		ce.SetExtension("actor", m.Actor)
		ce.SetExtension("commandid", m.CommandID.String())
		ce.SetExtension("correlationid", m.CorrelationID.String())
		ce.SetExtension("causationid", m.CausationID.String())
		if m.Command != "" {
			ce.SetExtension("command", m.Command)
		}
	}
	data, err := decodedJSON(ctx, deps, rec)
	if err != nil {
		ce.SetExtension("undecoded", err.Error())
	}
	if err := ce.SetData(event.ApplicationJSON, []byte(data)); err != nil {
		return ce, fmt.Errorf("export: event %s: %w", rec.ID, err)
	}
	if err := ce.Validate(); err != nil {
		return ce, fmt.Errorf("export: event %s is not a valid CloudEvent: %w", rec.ID, err)
	}
	return ce, nil
}
