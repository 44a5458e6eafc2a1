package esdb

import (
	"encoding/json"
	"time"

	esdbc "github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"

	"ledgerdesk/eventstore"
)

// id is a readable fixed event id: id(1) is 00000000-0000-0000-0000-000000000001.
func id(n byte) uuid.UUID {
	var u uuid.UUID
	u[15] = n
	return u
}

func eventData(n byte, typ, data string) eventstore.EventData {
	return eventstore.EventData{ID: id(n), Type: typ, Data: json.RawMessage(data)}
}

// recorded is an ESDB event as a read or subscription returns it.
func recorded(stream string, rev uint64, n byte, typ string, pos uint64) *esdbc.RecordedEvent {
	return &esdbc.RecordedEvent{
		EventID:     id(n),
		EventType:   typ,
		ContentType: "application/json",
		StreamID:    stream,
		EventNumber: rev,
		Position:    esdbc.Position{Commit: pos, Prepare: pos},
		CreatedDate: time.Date(2025, 2, 3, 9, 0, 0, 0, time.UTC),
		Data:        []byte(`{"n":1}`),
	}
}

func pos(n uint64) eventstore.Position { return eventstore.Position{Commit: n, Prepare: n} }
