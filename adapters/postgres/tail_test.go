package postgres_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"ledgerdesk/adapters/postgres"
	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/eventstore"
)

// holdWritingTransaction opens a transaction on url that has written a row, and so holds
// a transaction id, until the test ends.
func holdWritingTransaction(t *testing.T, url, setup, write string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	if setup != "" {
		if _, err := conn.Exec(ctx, setup); err != nil {
			t.Fatal(err)
		}
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tx.Rollback(context.Background()) })
	if _, err := tx.Exec(ctx, write); err != nil {
		t.Fatal(err)
	}
	var xid *string
	if err := tx.QueryRow(ctx, `SELECT pg_current_xact_id_if_assigned()::text`).Scan(&xid); err != nil || xid == nil {
		t.Fatalf("test setup: the held transaction has no transaction id (%v)", err)
	}
}

// appendAndWaitForTail appends one event after the held transaction began and waits,
// generously, for a tailing reader and the chain sealer to get to it.
func appendAndWaitForTail(t *testing.T, store *postgres.Store) {
	t.Helper()
	ctx := context.Background()
	e := event("test.after")
	if _, err := store.Append(ctx, "after-1", eventstore.NoStream(), e); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		seen, err := store.ReadAll(ctx, eventstore.Start, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(seen) == 1 && seen[0].ID == e.ID {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 10 s the tailing reader sees %v, want the committed event: a transaction that cannot append holds the tail back", ids(seen))
		}
		time.Sleep(20 * time.Millisecond)
	}

	sub, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var got []eventstore.RecordedEvent
	err := store.Subscribe(sub, eventstore.Start, func(_ context.Context, batch []eventstore.RecordedEvent) error {
		got = append(got, batch...)
		cancel()
		return nil
	})
	if len(got) != 1 || got[0].ID != e.ID {
		t.Fatalf("a subscription got %v (%v), want the committed event", ids(got), err)
	}

	n, err := postgres.NewChain(store.Pool()).Seal(ctx)
	if err != nil || n != 1 {
		t.Fatalf("the chain sealed %d events (%v), want the committed one", n, err)
	}
}

// The tail used to stop at the oldest transaction running anywhere on the server: one
// held open in another database stalled every projection of this one.
func TestTailIsNotHeldBackByATransactionInAnotherDatabase(t *testing.T) {
	t.Parallel()
	store := newTestStore(t)
	other := pgtest.NewEmptyDatabase(t)
	holdWritingTransaction(t, other, `CREATE TABLE unrelated (n int)`, `INSERT INTO unrelated VALUES (1)`)
	appendAndWaitForTail(t, store)
}

// Nor does a transaction in the same database hold it back when it has written elsewhere
// and so can no longer append (see migrations/008_event_appenders.sql).
func TestTailIsNotHeldBackByATransactionOnAnotherTable(t *testing.T) {
	t.Parallel()
	store := newTestStore(t)
	url := store.Pool().Config().ConnString()
	holdWritingTransaction(t, url, `CREATE TABLE unrelated (n int)`, `INSERT INTO unrelated VALUES (1)`)
	appendAndWaitForTail(t, store)
}

// A transaction that already has an id when it first appends could be older than events a
// reader has passed; its events would then be skipped, so the append is refused. Appending
// first and writing elsewhere afterwards, or appending twice, is fine.
func TestAppendingAfterWritingElsewhereIsRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := newTestStore(t)
	if _, err := store.Pool().Exec(ctx, `CREATE TABLE unrelated (n int)`); err != nil {
		t.Fatal(err)
	}
	insert := func(tx pgx.Tx, stream string) error {
		_, err := tx.Exec(ctx, `INSERT INTO events (event_id, stream_id, stream_version, type, data) VALUES (gen_random_uuid(), $1, 1, 'test.tx', '{}')`, stream)
		return err
	}
	refused := func(err error) bool {
		var pgErr *pgconn.PgError
		return errors.As(err, &pgErr) && pgErr.Code == "55000"
	}
	cases := []struct {
		name    string
		run     func(tx pgx.Tx) error
		refused bool
	}{
		{"write elsewhere, then append", func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `INSERT INTO unrelated VALUES (1)`); err != nil {
				return err
			}
			return insert(tx, "refused-1")
		}, true},
		{"append, roll the append back, append again", func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SAVEPOINT s`); err != nil {
				return err
			}
			if err := insert(tx, "refused-2"); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `ROLLBACK TO SAVEPOINT s`); err != nil {
				return err
			}
			return insert(tx, "refused-2")
		}, true},
		{"append, then write elsewhere", func(tx pgx.Tx) error {
			if err := insert(tx, "allowed-1"); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO unrelated VALUES (1)`)
			return err
		}, false},
		{"append twice, in a savepoint the second time", func(tx pgx.Tx) error {
			if err := insert(tx, "allowed-2"); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `SAVEPOINT s`); err != nil {
				return err
			}
			return insert(tx, "allowed-3")
		}, false},
	}
	for _, c := range cases {
		err := pgx.BeginFunc(ctx, store.Pool(), c.run)
		if c.refused && !refused(err) {
			t.Errorf("%s: got %v, want the append refused (55000)", c.name, err)
		}
		if !c.refused && err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	for _, stream := range []string{"refused-1", "refused-2"} {
		if v, err := store.StreamVersion(ctx, stream); err != nil || v != 0 {
			t.Errorf("stream %s is at version %d (%v) after a refused append", stream, v, err)
		}
	}
	for _, stream := range []string{"allowed-1", "allowed-2", "allowed-3"} {
		if v, err := store.StreamVersion(ctx, stream); err != nil || v != 1 {
			t.Errorf("stream %s is at version %d (%v), want 1", stream, v, err)
		}
	}
}

// The guard is what the tail's safety rests on, so replication sessions get it too.
func TestAppenderGuardFiresForReplicationSessions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := newTestStore(t)
	err := pgx.BeginFunc(ctx, store.Pool(), func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SET LOCAL session_replication_role = replica`); err != nil {
			t.Skipf("cannot become a replication session here: %v", err)
		}
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE unrelated (n int); INSERT INTO unrelated VALUES (1)`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO events (event_id, stream_id, stream_version, type, data) VALUES (gen_random_uuid(), 'replica-1', 1, 'test.tx', '{}')`)
		return err
	})
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "55000" {
		t.Fatalf("got %v, want the append refused (55000) with session_replication_role = replica", err)
	}
}

// Appenders committing while a reader tails, some of them slow and in several statements,
// with bystanders that wrote elsewhere coming and going among them: the reader must end up
// with every event. A transaction that commits while a reader is deciding who may still
// append is the hard case (its locks go one by one after its commit), which is why this
// runs long enough to hit it: reading past such a transaction skips its events for ever.
func TestTailNeverSkipsAmongConcurrentAppendersAndBystanders(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := newTestStore(t)
	if _, err := store.Pool().Exec(ctx, `CREATE TABLE unrelated (n int)`); err != nil {
		t.Fatal(err)
	}
	const insert = `INSERT INTO events (event_id, stream_id, stream_version, type, data) VALUES (gen_random_uuid(), $1, 1, 'test.soak', '{}')`
	pause := func() { time.Sleep(time.Duration(rand.IntN(3000)) * time.Microsecond) }
	work := []func() error{
		func() error { // a single-statement append
			_, err := store.Append(ctx, "soak-"+uuid.NewString(), eventstore.NoStream(), event("test.soak"))
			return err
		},
		func() error { // an appender that takes its time over two statements
			return pgx.BeginFunc(ctx, store.Pool(), func(tx pgx.Tx) error {
				if _, err := tx.Exec(ctx, insert, "soak-"+uuid.NewString()); err != nil {
					return err
				}
				pause()
				_, err := tx.Exec(ctx, insert, "soak-"+uuid.NewString())
				return err
			})
		},
		func() error { // a bystander
			return pgx.BeginFunc(ctx, store.Pool(), func(tx pgx.Tx) error {
				_, err := tx.Exec(ctx, `INSERT INTO unrelated VALUES (1)`)
				pause()
				return err
			})
		},
	}
	var wg sync.WaitGroup
	for w := range 6 {
		wg.Go(func() {
			for range 150 {
				if err := work[w%len(work)](); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()

	seen := map[uuid.UUID]bool{}
	from := eventstore.Start
	var deadline time.Time
	for {
		batch, err := store.ReadAll(ctx, from, 7)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range batch {
			seen[e.ID] = true
			from = e.Position
		}
		if len(batch) > 0 {
			continue
		}
		select {
		case <-done:
		default:
			continue
		}
		var total int
		if err := store.Pool().QueryRow(ctx, `SELECT count(*) FROM events`).Scan(&total); err != nil {
			t.Fatal(err)
		}
		if len(seen) == total {
			return
		}
		if deadline.IsZero() {
			deadline = time.Now().Add(10 * time.Second)
		}
		if time.Now().After(deadline) {
			t.Fatalf("the reader got %d of %d events and, 10 s after the last commit, no more from %s: it skipped some", len(seen), total, from)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
