// Package projectiontest specifies read models as given events → rows.
//
// A Spec is one projection in a fresh database of its own, in its live schema
// (proj_<name>, set up by the projection's own Setup, exactly as the projector sets it
// up), so the read model's own query functions read it back unchanged. Events are built
// from domain events through the codec, with the stream ids, versions, positions and
// metadata the event store and the command layer would give them, and applied straight
// to the projection: no event store, no commands, no policies, no Watermill. Each event is
// applied in a transaction of its own through a Writer that executes at once, then
// committed.
//
//	s := projectiontest.New(t, appointments.New)
//	s.Given("appointment-a1", appointment.Booked{...}, appointment.Cancelled{...})
//	rows, err := appointments.ForClinician(s.Ctx, s.DB, "c1")
package projectiontest

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/codec"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/appointment"
	"ledgerdesk/domain/cutover"
	"ledgerdesk/domain/decider"
	"ledgerdesk/domain/earnings"
	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/payout"
	"ledgerdesk/domain/ticket"
	"ledgerdesk/domain/v1item"
	"ledgerdesk/eventstore"
	"ledgerdesk/projections"
)

// DefaultActor is the actor in the metadata of events given without one.
const DefaultActor = "projectiontest"

// Spec is one projection fed events directly, in a database of its own.
type Spec struct {
	t testing.TB
	// Ctx is the context events are applied and queries may run in.
	Ctx context.Context
	// DB is the test's database: pass it to the read model's query functions.
	DB *pgxpool.Pool
	// Codec encodes the given events and is the codec the projection decodes with; it
	// knows every aggregate's events and keeps its keys in memory (Codec.Erase works).
	Codec *codec.Codec
	// Projection is the projection under test.
	Projection projections.Projection

	versions map[string]uint64
	pos      eventstore.Position
	history  []eventstore.RecordedEvent
}

// New makes the projection with a codec for every aggregate's events and sets up its live
// schema in a fresh database, dropped when the test ends.
func New[P projections.Projection](t testing.TB, newProjection func(*codec.Codec) P) *Spec {
	t.Helper()
	c, err := NewCodec()
	if err != nil {
		t.Fatalf("projectiontest: %v", err)
	}
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, pgtest.NewEmptyDatabase(t))
	if err != nil {
		t.Fatalf("projectiontest: %v", err)
	}
	t.Cleanup(pool.Close)
	s := &Spec{t: t, Ctx: ctx, DB: pool, Codec: c, Projection: newProjection(c), versions: map[string]uint64{}}
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		return projections.SetupSchema(ctx, tx, s.Projection, projections.Schema(s.Projection.Name()))
	})
	if err != nil {
		t.Fatalf("projectiontest: %v", err)
	}
	return s
}

// NewCodec is a codec for every aggregate's events, its keys in memory.
func NewCodec() (*codec.Codec, error) {
	var types []decider.Event
	types = appendAll(types, account.EventTypes())
	types = appendAll(types, appointment.EventTypes())
	types = appendAll(types, cutover.EventTypes())
	types = appendAll(types, earnings.EventTypes())
	types = appendAll(types, invoice.EventTypes())
	types = appendAll(types, payout.EventTypes())
	types = appendAll(types, ticket.EventTypes())
	types = appendAll(types, v1item.EventTypes())
	return codec.New(codec.NewMemoryKeyStore(), types...)
}

func appendAll[E decider.Event](to []decider.Event, es []E) []decider.Event {
	for _, e := range es {
		to = append(to, e)
	}
	return to
}

// Given records events at the end of stream, as one command by DefaultActor would append
// them, and applies them. It returns the recorded events.
func (s *Spec) Given(stream string, events ...decider.Event) []eventstore.RecordedEvent {
	s.t.Helper()
	return s.GivenBy(DefaultActor, stream, events...)
}

// GivenBy is Given with actor in the events' metadata.
func (s *Spec) GivenBy(actor, stream string, events ...decider.Event) []eventstore.RecordedEvent {
	s.t.Helper()
	recs := s.Record(actor, stream, events...)
	s.Apply(recs...)
	return recs
}

// Record builds the recorded events the store would give for events appended to the end
// of stream by one command of actor, without applying them: the next versions of the
// stream, one commit position for the append and a prepare position per event, the
// command layer's metadata, and each event encoded (personal data sealed) under its id.
func (s *Spec) Record(actor, stream string, events ...decider.Event) []eventstore.RecordedEvent {
	s.t.Helper()
	command := uuid.Must(uuid.NewV7())
	meta, err := json.Marshal(codec.EventMetadata{
		CommandID: command, CorrelationID: command, CausationID: command,
		Actor: actor, Command: "projectiontest", Schema: codec.MetadataSchema,
	})
	if err != nil {
		s.t.Fatalf("projectiontest: %v", err)
	}
	s.pos.Commit++
	recs := make([]eventstore.RecordedEvent, len(events))
	for i, e := range events {
		id := uuid.Must(uuid.NewV7())
		typ, data, err := s.Codec.EncodeWithID(s.Ctx, id, e)
		if err != nil {
			s.t.Fatalf("projectiontest: encoding %T for %s: %v", e, stream, err)
		}
		s.versions[stream]++
		s.pos.Prepare++
		recs[i] = eventstore.RecordedEvent{
			ID: id, StreamID: stream, Version: s.versions[stream], Type: typ, Data: data, Metadata: meta,
			RecordedAt: time.Now().UTC(), Position: s.pos,
		}
	}
	return recs
}

// Apply applies each recorded event in a transaction of its own, failing the test at the
// first that fails.
func (s *Spec) Apply(recs ...eventstore.RecordedEvent) {
	s.t.Helper()
	for _, rec := range recs {
		if err := s.TryApply(rec); err != nil {
			s.t.Fatalf("projectiontest: %v", err)
		}
	}
}

// TryApply applies one recorded event in a transaction of its own and commits, or rolls
// back and returns the error (the projection's or its first failing write's).
func (s *Spec) TryApply(rec eventstore.RecordedEvent) error {
	name := s.Projection.Name()
	err := pgx.BeginFunc(s.Ctx, s.DB, func(tx pgx.Tx) error {
		if err := projections.UseSchema(s.Ctx, tx, projections.Schema(name)); err != nil {
			return err
		}
		w := &writer{ctx: s.Ctx, tx: tx}
		if err := s.Projection.Apply(s.Ctx, w, rec); err != nil {
			return err
		}
		return w.err
	})
	if err != nil {
		return fmt.Errorf("projection %s, event %s (%s@%d): %w", name, rec.Type, rec.StreamID, rec.Version, err)
	}
	s.history = append(s.history, rec)
	return nil
}

// History is every event applied so far, in order.
func (s *Spec) History() []eventstore.RecordedEvent {
	return append([]eventstore.RecordedEvent(nil), s.history...)
}

// Must fails the test if err is not nil.
func (s *Spec) Must(err error) {
	s.t.Helper()
	if err != nil {
		s.t.Fatal(err)
	}
}

// writer is a projections.Writer that executes each write at once. The first failing
// write is kept: the transaction is aborted from then on anyway.
type writer struct {
	ctx context.Context
	tx  pgx.Tx
	err error
}

func (w *writer) Exec(sql string, args ...any) {
	if w.err != nil {
		return
	}
	if _, err := w.tx.Exec(w.ctx, sql, args...); err != nil {
		w.err = fmt.Errorf("%s: %w", sql, err)
	}
}

func (w *writer) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return w.tx.Query(ctx, sql, args...)
}

func (w *writer) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return w.tx.QueryRow(ctx, sql, args...)
}
