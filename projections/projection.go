// Package projections turns the event history into read models in PostgreSQL.
//
// A projection owns one schema ("proj_<name>"). Its events arrive through Watermill, one
// router for all projections, each handler behind retry, poison-queue and correlation
// middleware. Every write a projection makes goes into the delivery transaction, which
// also advances the projection's checkpoint: a crash can neither lose nor double an effect.
// An event that keeps failing is parked (consumer, event, error) and the projection moves
// on; other projections are not held up. Rebuild replays the whole history into a fresh
// schema and swaps it in (blue/green) while holding the checkpoint row, so the live
// projector pauses for the swap and resumes on the new tables.
package projections

import (
	"context"

	"github.com/jackc/pgx/v5"

	"ledgerdesk/eventstore"
)

// Writer is what a projection writes through: the delivery transaction. Exec queues a
// write (sent in one round trip with the checkpoint); Query and QueryRow see queued writes.
type Writer interface {
	Exec(sql string, args ...any)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Projection builds one read model. Table names in its SQL are unqualified: the runner sets
// the search path to the projection's schema, which is what makes a rebuild into a fresh
// schema possible without the projection knowing.
type Projection interface {
	// Name is stable; it names the schema and the checkpoint. Lower case, digits and _.
	Name() string
	// Setup creates the projection's tables in the current schema (idempotently).
	Setup(ctx context.Context, tx pgx.Tx) error
	// Apply applies one event. It must tolerate events it does not care about. Handlers
	// does the usual opening (category, decoding, the handler's event type).
	Apply(ctx context.Context, w Writer, e eventstore.RecordedEvent) error
}

// Schema is the live schema of a projection.
func Schema(name string) string { return "proj_" + name }
