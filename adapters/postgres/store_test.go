package postgres_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"ledgerdesk/adapters/postgres"
	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/eventstore"
)

func newTestStore(t *testing.T) *postgres.Store {
	t.Helper()
	s := postgres.New(pgtest.NewPool(t), postgres.Config{PollInterval: 20 * time.Millisecond})
	return s
}

func event(typ string) eventstore.EventData {
	return eventstore.EventData{ID: uuid.Must(uuid.NewV7()), Type: typ, Data: json.RawMessage(`{"n":1}`)}
}

// A reader tailing the global order must not pass an event whose transaction is still
// open: had it done so, checkpointing past the later event would skip the earlier one for
// ever once its transaction commits.
func TestReaderNeverSkipsAnEventCommittedLate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := newTestStore(t)
	late, err := pgx.Connect(ctx, store.Pool().Config().ConnString())
	if err != nil {
		t.Fatal(err)
	}
	defer late.Close(ctx)

	tx, err := late.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	lateID := uuid.Must(uuid.NewV7())
	if _, err := tx.Exec(ctx, `INSERT INTO events (event_id, stream_id, stream_version, type, data) VALUES ($1, 'late-1', 1, 'test.late', '{}')`, lateID); err != nil {
		t.Fatal(err)
	}
	// A later-numbered event commits while the first transaction is still open.
	early := event("test.early")
	if _, err := store.Append(ctx, "early-1", eventstore.NoStream(), early); err != nil {
		t.Fatal(err)
	}
	var latePos, earlyPos int64
	if err := tx.QueryRow(ctx, `SELECT global_position FROM events WHERE event_id = $1`, lateID).Scan(&latePos); err != nil {
		t.Fatal(err)
	}
	if err := store.Pool().QueryRow(ctx, `SELECT global_position FROM events WHERE event_id = $1`, early.ID).Scan(&earlyPos); err != nil {
		t.Fatal(err)
	}
	if latePos >= earlyPos {
		t.Fatalf("test setup: the open transaction's event should have the lower position (%d vs %d)", latePos, earlyPos)
	}

	seen, err := store.ReadAll(ctx, eventstore.Start, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range seen {
		if e.ID == early.ID {
			t.Fatalf("the reader passed event %d while event %d's transaction was still open", earlyPos, latePos)
		}
	}
	checkpoint := eventstore.Start
	if len(seen) > 0 {
		checkpoint = seen[len(seen)-1].Position
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	var after []eventstore.RecordedEvent
	deadline := time.Now().Add(10 * time.Second)
	for len(after) < 2 && time.Now().Before(deadline) {
		more, err := store.ReadAll(ctx, checkpoint, 100)
		if err != nil {
			t.Fatal(err)
		}
		after = append(after, more...)
		if len(more) > 0 {
			checkpoint = more[len(more)-1].Position
		} else {
			time.Sleep(10 * time.Millisecond)
		}
	}
	if len(after) != 2 || after[0].ID != lateID || after[1].ID != early.ID {
		t.Fatalf("after the late commit the reader got %v, want the late event then the early one", ids(after))
	}
}

func ids(es []eventstore.RecordedEvent) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.StreamID+"@"+e.Position.String())
	}
	return out
}

func TestEventsAreAppendOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := newTestStore(t)
	if _, err := store.Append(ctx, "ledger-1", eventstore.NoStream(), event("test.x")); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{`UPDATE events SET type = 'forged'`, `DELETE FROM events`, `TRUNCATE events`} {
		if _, err := store.Pool().Exec(ctx, sql); err == nil {
			t.Errorf("%s was allowed on the event table", sql)
		}
	}
}

func TestConflictNamesStreamExpectedAndActual(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := newTestStore(t)
	if _, err := store.Append(ctx, "invoice-9", eventstore.NoStream(), event("a"), event("b")); err != nil {
		t.Fatal(err)
	}
	_, err := store.Append(ctx, "invoice-9", eventstore.Exactly(1), event("c"))
	var conflict *eventstore.ConflictError
	if !errors.As(err, &conflict) || conflict.Stream != "invoice-9" || conflict.Actual != 2 {
		t.Fatalf("got %v, want a conflict at actual version 2", err)
	}
	// A stream that is behind the expected version is a conflict too, not a gap.
	_, err = store.Append(ctx, "invoice-9", eventstore.Exactly(5), event("d"))
	if !errors.Is(err, eventstore.ErrConflict) {
		t.Fatalf("appending at version 5 to a stream at 2: got %v", err)
	}
	got, _ := store.ReadStream(ctx, "invoice-9", 1, 0)
	if len(got) != 2 {
		t.Fatalf("stream has %d events after rejected appends, want 2", len(got))
	}
}
