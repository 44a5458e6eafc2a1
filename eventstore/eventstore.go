// Package eventstore is the port every event store adapter implements: the Postgres table
// that ships embedded, and EventStoreDB/KurrentDB for deployments that outgrow it.
//
// Streams are named "category-id". A stream's version is the number of events in it, so
// the first event has version 1 and an empty stream is at version 0. The global order is
// the order of Position, which every adapter guarantees a tailing reader never skips: an
// event that commits late is never given a position below one a reader has already passed.
package eventstore

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"
)

// EventData is an event on its way into the store.
type EventData struct {
	// ID makes an append idempotent: appending an event whose ID is already in the stream
	// at the same place is recognised as a retry and returns the first result.
	ID uuid.UUID
	// Type is the event's name with its schema version, e.g. "appointment.completed.v1".
	Type     string
	Data     json.RawMessage
	Metadata json.RawMessage
	// RecordedAt, when set, keeps an original timestamp (copying a history between
	// stores); otherwise the store stamps the time of the append.
	RecordedAt time.Time
}

// RecordedEvent is an event as the store holds it.
type RecordedEvent struct {
	ID         uuid.UUID
	StreamID   string
	Version    uint64
	Type       string
	Data       json.RawMessage
	Metadata   json.RawMessage
	RecordedAt time.Time
	Position   Position
}

// AppendResult describes a successful append (or the first result of a recognised retry).
type AppendResult struct {
	// Version is the stream's version after the append: the version of its last event.
	Version uint64
	// Position is the global position of the last event appended.
	Position Position
}

// Store is the event store port.
type Store interface {
	// Append writes events to the end of stream if its current version matches expected.
	// A mismatch is a *ConflictError. All events land or none does.
	Append(ctx context.Context, stream string, expected ExpectedVersion, events ...EventData) (AppendResult, error)

	// ReadStream returns up to limit events of stream with version >= from, in version
	// order. A stream that does not exist reads as empty.
	ReadStream(ctx context.Context, stream string, from uint64, limit int) ([]RecordedEvent, error)

	// ReadAll returns up to limit events strictly after position from, in global order,
	// that a tailing reader can safely consume: none committed later may sort before them.
	ReadAll(ctx context.Context, from Position, limit int) ([]RecordedEvent, error)

	// Subscribe delivers every event after from in global order, in batches, first the
	// history and then new events as they commit, until ctx ends or handle fails; it
	// returns handle's error, or ctx's. A restart from the last position handled resumes
	// with nothing lost and nothing repeated.
	Subscribe(ctx context.Context, from Position, handle func(ctx context.Context, batch []RecordedEvent) error) error

	// Close releases the store's connections.
	Close()
}
