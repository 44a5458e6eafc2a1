package projections

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"ledgerdesk/domain/decider"
	"ledgerdesk/eventstore"
)

// Querier is what a read model's queries read through: a pool, a connection or a
// transaction.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Decoder reads an event's stored data back into its Go type; *codec.Codec is one.
type Decoder interface {
	Decode(ctx context.Context, eventType string, data json.RawMessage) (decider.Event, error)
}

// Handler applies one decoded event, e, recorded as rec.
type Handler[E decider.Event] func(ctx context.Context, w Writer, rec eventstore.RecordedEvent, e E) error

// Handlers is the opening every read model's Apply repeats, done once: it picks events by
// their stream's category, decodes them, and hands each to its category's handler as the
// type that handler takes (an aggregate's Event interface, or decider.Event for any).
//
// Events of a category nobody handles are ignored without being decoded. Every event of
// a handled category is decoded, so data that does not decode is an error even when the
// handler would have ignored the event; an event that is not the handler's type is
// ignored.
type Handlers struct {
	decoder Decoder
	routes  map[string]func(context.Context, Writer, eventstore.RecordedEvent, decider.Event) error
}

// NewHandlers returns Handlers that decode with d and handle no category yet.
func NewHandlers(d Decoder) *Handlers {
	return &Handlers{decoder: d, routes: map[string]func(context.Context, Writer, eventstore.RecordedEvent, decider.Event) error{}}
}

// On hands the events of streams in category to handle, and returns h. A category has one
// handler: handling it twice is a programming error and panics.
func On[E decider.Event](h *Handlers, category string, handle Handler[E]) *Handlers {
	if _, dup := h.routes[category]; dup {
		panic(fmt.Sprintf("projections: category %q handled twice", category))
	}
	h.routes[category] = func(ctx context.Context, w Writer, rec eventstore.RecordedEvent, ev decider.Event) error {
		e, ok := ev.(E)
		if !ok {
			return nil
		}
		return handle(ctx, w, rec, e)
	}
	return h
}

// Apply is a Projection's Apply: it routes rec to the handler of its stream's category.
func (h *Handlers) Apply(ctx context.Context, w Writer, rec eventstore.RecordedEvent) error {
	route, ok := h.routes[eventstore.Category(rec.StreamID)]
	if !ok {
		return nil
	}
	ev, err := h.decoder.Decode(ctx, rec.Type, rec.Data)
	if err != nil {
		return err
	}
	return route(ctx, w, rec, ev)
}

// UseSchema points the transaction's unqualified names at schema, until it ends.
func UseSchema(ctx context.Context, tx pgx.Tx, schema string) error {
	_, err := tx.Exec(ctx, "SELECT set_config('search_path', $1, true)", pgx.Identifier{schema}.Sanitize()+", public")
	return err
}

// SetupSchema creates schema and p's tables in it, leaving the transaction's search path
// on schema.
//
// Processes starting together set up the same schema at once, and CREATE ... IF NOT EXISTS
// is not safe against that (both see it missing, one fails on the catalogue's unique
// index): a lock per schema, held to the end of the transaction, puts them in turn.
func SetupSchema(ctx context.Context, tx pgx.Tx, p Projection, schema string) error {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('ledgerdesk schema ' || $1))`, schema); err != nil {
		return fmt.Errorf("projection %s: waiting to set up its schema: %w", p.Name(), err)
	}
	if _, err := tx.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+pgx.Identifier{schema}.Sanitize()); err != nil {
		return fmt.Errorf("projection %s: creating schema: %w", p.Name(), err)
	}
	if err := UseSchema(ctx, tx, schema); err != nil {
		return err
	}
	if err := p.Setup(ctx, tx); err != nil {
		return fmt.Errorf("projection %s: setup: %w", p.Name(), err)
	}
	return nil
}
