package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/adapters/postgres"
	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/eventstore"
)

// liveness bounds how long a test waits for something that should happen promptly. It is
// no speed assertion: with subscriptions told to poll once an hour, the only ways to get
// there in time are the ones under test.
const liveness = 10 * time.Second

// newWakeStore is a store whose subscriptions poll once an hour unless told otherwise, so
// anything they receive sooner came by a wake-up.
func newWakeStore(t *testing.T, cfg postgres.Config) *postgres.Store {
	t.Helper()
	if cfg.PollInterval == 0 {
		cfg.PollInterval = time.Hour
	}
	if cfg.IdlePollInterval == 0 {
		cfg.IdlePollInterval = time.Hour
	}
	return postgres.New(pgtest.NewPool(t), cfg)
}

// otherProcess is a second store on the same database with a pool of its own: what
// another ledgerdesk process appending looks like to store.
func otherProcess(t *testing.T, store *postgres.Store) *postgres.Store {
	t.Helper()
	pool, err := pgxpool.NewWithConfig(context.Background(), store.Pool().Config())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return postgres.New(pool, postgres.Config{})
}

// subscribeAll runs a subscription from the start until the test ends and hands over its
// events one by one.
func subscribeAll(t *testing.T, store *postgres.Store) <-chan eventstore.RecordedEvent {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := make(chan eventstore.RecordedEvent, 100)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = store.Subscribe(ctx, eventstore.Start, func(ctx context.Context, batch []eventstore.RecordedEvent) error {
			for _, e := range batch {
				select {
				case out <- e:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			return nil
		})
	}()
	t.Cleanup(func() { cancel(); <-done })
	return out
}

// expectEvents waits, up to liveness, for the subscription to deliver want in order.
func expectEvents(t *testing.T, events <-chan eventstore.RecordedEvent, what string, want ...uuid.UUID) {
	t.Helper()
	deadline := time.After(liveness)
	for i, id := range want {
		select {
		case e := <-events:
			if e.ID != id {
				t.Fatalf("%s: event %d is %s of %q, want %s", what, i, e.ID, e.StreamID, id)
			}
		case <-deadline:
			t.Fatalf("%s: after %s the subscription has delivered %d of %d events", what, liveness, i, len(want))
		}
	}
}

// waitForListener waits for the store's listening connection to be up and other than
// not, and returns its backend pid.
func waitForListener(t *testing.T, store *postgres.Store, not uint32) uint32 {
	t.Helper()
	for deadline := time.Now().Add(liveness); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if pid := store.ListenerPID(); pid != 0 && pid != not {
			return pid
		}
	}
	t.Fatalf("no listening connection after %s (the previous one was %d)", liveness, not)
	return 0
}

func appendOne(t *testing.T, store *postgres.Store, stream string) uuid.UUID {
	t.Helper()
	e := event("test.woken")
	if _, err := store.Append(context.Background(), stream, eventstore.NoStream(), e); err != nil {
		t.Fatal(err)
	}
	return e.ID
}

// An append wakes a caught-up subscription: with an hour between polls, it would not
// otherwise see the event before the test gives up. Several in a row, because each
// wake-up must leave the subscription waiting for the next. An append through the same
// store wakes it directly; one from another process, by NOTIFY.
func TestAnAppendWakesASubscriptionThatPollsHourly(t *testing.T) {
	t.Parallel()
	store := newWakeStore(t, postgres.Config{})
	other := otherProcess(t, store)
	events := subscribeAll(t, store)
	waitForListener(t, store, 0)
	for i := range 3 {
		expectEvents(t, events, fmt.Sprintf("append %d by this store", i+1), appendOne(t, store, "woken-"+uuid.NewString()))
		expectEvents(t, events, fmt.Sprintf("append %d by another process", i+1), appendOne(t, other, "woken-"+uuid.NewString()))
	}
}

// One listening connection serves every subscription of a store, and wakes them all:
// a process's connections are counted on a shared server.
func TestOneListeningConnectionWakesEverySubscription(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := newWakeStore(t, postgres.Config{})
	subs := []<-chan eventstore.RecordedEvent{subscribeAll(t, store), subscribeAll(t, store), subscribeAll(t, store)}
	waitForListener(t, store, 0)
	id := appendOne(t, otherProcess(t, store), "woken-"+uuid.NewString())
	for i, events := range subs {
		expectEvents(t, events, fmt.Sprintf("subscription %d", i+1), id)
	}
	var listeners int
	if err := store.Pool().QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN %'`).Scan(&listeners); err != nil {
		t.Fatal(err)
	}
	if listeners != 1 {
		t.Fatalf("%d connections listen for three subscriptions of one store, want 1", listeners)
	}
}

// When the listening connection is cut, subscriptions fall back to polling at
// PollInterval, and the store reconnects; wake-ups then work again (with an hour between
// idle polls, the last event can only arrive by one). The appends come from another
// process, whose only way to wake the subscription is the listener.
func TestSubscriptionsPollWhileTheListenerIsDownAndItReconnects(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := newWakeStore(t, postgres.Config{PollInterval: 20 * time.Millisecond})
	other := otherProcess(t, store)
	events := subscribeAll(t, store)
	first := waitForListener(t, store, 0)
	expectEvents(t, events, "before the cut", appendOne(t, other, "before-1"))

	var killed bool
	if err := store.Pool().QueryRow(ctx, `SELECT pg_terminate_backend($1)`, int32(first)).Scan(&killed); err != nil || !killed {
		t.Fatalf("terminating the listener %d: %v %v", first, killed, err)
	}
	expectEvents(t, events, "after the cut", appendOne(t, other, "during-1"))
	waitForListener(t, store, first)
	expectEvents(t, events, "after reconnecting", appendOne(t, other, "after-1"))
}

// A wake-up can come while an older transaction is still in flight below the tail. The
// subscription must not pass it, and must keep looking: this one commits without sending
// any wake-up (a plain INSERT, not Store.Append), so with an hour between idle polls only
// the subscription's own back-off while the tail is held finds both events.
func TestAWokenSubscriptionKeepsLookingPastATransactionInFlight(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := newWakeStore(t, postgres.Config{})
	events := subscribeAll(t, store)
	waitForListener(t, store, 0)

	late, err := pgx.Connect(ctx, store.Pool().Config().ConnString())
	if err != nil {
		t.Fatal(err)
	}
	defer late.Close(ctx)
	tx, err := late.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // committed below; this is for a failed test
	lateID := uuid.Must(uuid.NewV7())
	if _, err := tx.Exec(ctx, `INSERT INTO events (event_id, stream_id, stream_version, type, data) VALUES ($1, 'late-1', 1, 'test.late', '{}')`, lateID); err != nil {
		t.Fatal(err)
	}
	early := appendOne(t, store, "early-1") // wakes the subscription, which finds the tail held
	select {
	case e := <-events:
		t.Fatalf("the subscription delivered %s of %q while an older transaction was in flight", e.ID, e.StreamID)
	case <-time.After(200 * time.Millisecond):
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	expectEvents(t, events, "after the late commit", lateID, early)
}
