package esdb

import (
	"encoding/json"
	"math"

	esdbc "github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"ledgerdesk/eventstore"
)

// expectedRevision translates our expectation to ESDB's. Our versions count events
// (Exactly(n): the stream holds n events) while ESDB names the revision of the last event,
// counted from 0; so n events means revision n-1, and no events means NoStream.
func expectedRevision(e eventstore.ExpectedVersion) esdbc.ExpectedRevision {
	v, ok := e.Version()
	switch {
	case !ok:
		return esdbc.Any{}
	case v == 0:
		return esdbc.NoStream{}
	default:
		return esdbc.Revision(v - 1)
	}
}

// readFrom is the ESDB revision where a read for versions >= from starts. Version 0 does
// not exist, so it reads from the first event like version 1.
func readFrom(from uint64) esdbc.StreamRevision {
	if from <= 1 {
		return esdbc.Revision(0)
	}
	return esdbc.Revision(from - 1)
}

// allFrom is where an ESDB read or subscription of $all starts for our position.
func allFrom(p eventstore.Position) esdbc.AllPosition {
	if p == eventstore.Start {
		return esdbc.Start{}
	}
	return esdbc.Position{Commit: p.Commit, Prepare: p.Prepare}
}

// position is our form of an ESDB position. Servers before 22.6 report no position on
// stream reads, as MaxUint64; that unknown position becomes the zero Position rather than
// one that sorts after everything.
func position(p esdbc.Position) eventstore.Position {
	if p.Commit == math.MaxUint64 || p.Prepare == math.MaxUint64 {
		return eventstore.Position{}
	}
	return eventstore.Position{Commit: p.Commit, Prepare: p.Prepare}
}

// toEventData is the ESDB form of an event on its way in.
func toEventData(e eventstore.EventData) (esdbc.EventData, error) {
	meta, err := encodeMetadata(e.Metadata, e.RecordedAt)
	if err != nil {
		return esdbc.EventData{}, err
	}
	return esdbc.EventData{
		EventID:     e.ID,
		EventType:   e.Type,
		ContentType: esdbc.ContentTypeJson,
		Data:        e.Data,
		Metadata:    meta,
	}, nil
}

// fromRecorded is our form of an event read back; the original RecordedAt in the metadata
// envelope, when present, wins over ESDB's creation time.
func fromRecorded(r *esdbc.RecordedEvent) eventstore.RecordedEvent {
	meta, at := decodeMetadata(r.UserMetadata)
	if at.IsZero() {
		at = r.CreatedDate
	}
	var data json.RawMessage
	if len(r.Data) > 0 {
		data = json.RawMessage(r.Data)
	}
	return eventstore.RecordedEvent{
		ID:         r.EventID,
		StreamID:   r.StreamID,
		Version:    r.EventNumber + 1,
		Type:       r.EventType,
		Data:       data,
		Metadata:   meta,
		RecordedAt: at.UTC(),
		Position:   position(r.Position),
	}
}

// deliverable reports whether an event read from $all or a stream belongs to the domain:
// not ESDB's own, not a link, not one of the adapter's guard records.
func deliverable(r *esdbc.RecordedEvent) bool {
	return r != nil && !isSystem(r.StreamID, r.EventType) && !isGuardStream(r.StreamID)
}
