package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/adapters/postgres"
	"ledgerdesk/eventstore"
)

// chainFixture appends n events over a few streams, one append (transaction) each.
func chainFixture(t *testing.T, n int) (*postgres.Store, *postgres.Chain, []eventstore.RecordedEvent) {
	t.Helper()
	ctx := context.Background()
	store := newTestStore(t)
	for i := range n {
		if _, err := store.Append(ctx, fmt.Sprintf("thing-%d", i%3), eventstore.Any(), event("thing.happened.v1")); err != nil {
			t.Fatal(err)
		}
	}
	chain := postgres.NewChain(store.Pool())
	sealUntil(t, chain, n)
	all, err := store.ReadAll(ctx, eventstore.Start, 0)
	if err != nil || len(all) != n {
		t.Fatalf("ReadAll = %d events, %v; want %d", len(all), err, n)
	}
	return store, chain, all
}

// sealUntil seals until want events in all have been sealed. The safe tail is held back by
// any transaction open on the server (other tests' too), so sealing may take a few rounds.
func sealUntil(t *testing.T, chain *postgres.Chain, want int) {
	t.Helper()
	total := 0
	for deadline := time.Now().Add(30 * time.Second); total < want && time.Now().Before(deadline); {
		n, err := chain.Seal(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if total += n; total < want {
			time.Sleep(5 * time.Millisecond)
		}
	}
	if total != want {
		t.Fatalf("sealed %d events, want %d", total, want)
	}
}

func superuserExec(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) {
	t.Helper()
	if _, err := pool.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func mustVerify(t *testing.T, chain *postgres.Chain) postgres.ChainReport {
	t.Helper()
	rep, err := chain.Verify(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestAnUntouchedHistoryVerifies(t *testing.T) {
	t.Parallel()
	_, chain, all := chainFixture(t, 7)
	rep := mustVerify(t, chain)
	if rep.Break != nil || rep.Checked != 7 || rep.Head.Seq != 7 || rep.Head.EventID != all[6].ID {
		t.Fatalf("report = %+v, want 7 links checked, no break, head at the last event", rep)
	}
	sealUntil(t, chain, 0)
}

func TestAnEventEditedAfterSealingIsNamedByVerify(t *testing.T) {
	t.Parallel()
	store, chain, all := chainFixture(t, 6)
	victim := all[3]
	pool := store.Pool()
	superuserExec(t, pool, `ALTER TABLE events DISABLE TRIGGER events_append_only`)
	superuserExec(t, pool, `UPDATE events SET data = '{"n": 1000}' WHERE event_id = $1`, victim.ID)
	rep := mustVerify(t, chain)
	if rep.Break == nil || rep.Break.EventID != victim.ID || rep.Break.Seq != 4 {
		t.Fatalf("break = %+v, want event %s at link 4", rep.Break, victim.ID)
	}
	if !errors.Is(rep.Break, postgres.ErrChainBroken) {
		t.Fatal("a ChainBreak must match ErrChainBroken")
	}
}

func TestAChangedRecordedTimeOrMetadataBreaksTheChainToo(t *testing.T) {
	t.Parallel()
	for _, edit := range []string{
		`UPDATE events SET recorded_at = recorded_at + interval '1 microsecond' WHERE event_id = $1`,
		`UPDATE events SET metadata = '{"actor": "someone else"}' WHERE event_id = $1`,
		`UPDATE events SET stream_id = 'thing-9' WHERE event_id = $1`,
	} {
		t.Run(edit, func(t *testing.T) {
			t.Parallel()
			store, chain, all := chainFixture(t, 3)
			superuserExec(t, store.Pool(), `ALTER TABLE events DISABLE TRIGGER events_append_only`)
			superuserExec(t, store.Pool(), edit, all[1].ID)
			if rep := mustVerify(t, chain); rep.Break == nil || rep.Break.EventID != all[1].ID {
				t.Fatalf("break = %+v, want the edited event %s", rep.Break, all[1].ID)
			}
		})
	}
}

func TestAnEventDeletedAfterSealingIsNamedByVerify(t *testing.T) {
	t.Parallel()
	store, chain, all := chainFixture(t, 4)
	superuserExec(t, store.Pool(), `ALTER TABLE events DISABLE TRIGGER events_append_only`)
	superuserExec(t, store.Pool(), `DELETE FROM events WHERE event_id = $1`, all[2].ID)
	if rep := mustVerify(t, chain); rep.Break == nil || rep.Break.EventID != all[2].ID || rep.Break.Seq != 3 {
		t.Fatalf("break = %+v, want the deleted event %s at link 3", rep.Break, all[2].ID)
	}
}

func TestAnEventInsertedAmongSealedEventsIsNamedByVerify(t *testing.T) {
	t.Parallel()
	store, chain, all := chainFixture(t, 4)
	// Same transaction id as the first event, a fresh position: it sorts between events 1
	// and 2 of the global order, where no honest append can ever land after sealing.
	superuserExec(t, store.Pool(), `INSERT INTO events (transaction_id, event_id, stream_id, stream_version, type, data)
		SELECT transaction_id, gen_random_uuid(), 'forged-1', 1, 'thing.happened.v1', '{}' FROM events WHERE event_id = $1`, all[0].ID)
	rep := mustVerify(t, chain)
	if rep.Break == nil || rep.Break.StreamID != "forged-1" || rep.Break.Seq != 0 {
		t.Fatalf("break = %+v, want the forged event named", rep.Break)
	}
}

func TestTheChainIsAppendOnly(t *testing.T) {
	t.Parallel()
	store, _, _ := chainFixture(t, 2)
	_, err := store.Pool().Exec(context.Background(), `UPDATE event_chain SET hash = sha256('x') WHERE seq = 1`)
	if err == nil {
		t.Fatal("rewriting a link was allowed")
	}
}

// Sealing happens beside appends, not inside them: a transaction still open when the
// sealer runs holds back sealing of everything after it, and when it commits the chain
// carries on in the readers' order, verifying clean.
func TestSealingNeverPassesAnOpenTransaction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := newTestStore(t)
	chain := postgres.NewChain(store.Pool())
	if _, err := store.Append(ctx, "thing-1", eventstore.Any(), event("thing.happened.v1")); err != nil {
		t.Fatal(err)
	}
	open, err := store.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = open.Rollback(ctx) }()
	if _, err := open.Exec(ctx, `INSERT INTO events (event_id, stream_id, stream_version, type, data) VALUES (gen_random_uuid(), 'late-1', 1, 'thing.happened.v1', '{}')`); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Append(ctx, "thing-2", eventstore.Any(), event("thing.happened.v1")); err != nil {
		t.Fatal(err)
	}
	sealUntil(t, chain, 1)
	for range 5 {
		if n, err := chain.Seal(ctx); err != nil || n != 0 {
			t.Fatalf("Seal with a transaction open = %d, %v; want nothing past it", n, err)
		}
	}
	if err := open.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	sealUntil(t, chain, 2)
	if rep := mustVerify(t, chain); rep.Break != nil || rep.Checked != 3 {
		t.Fatalf("report = %+v, want 3 links and no break", rep)
	}
}

// Sixteen writers and two sealers at once: the sealers take turns and the chain ends up
// covering every event exactly once.
func TestConcurrentWritersAndSealersGiveOneUnbrokenChain(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	store := newTestStore(t)
	var sealers sync.WaitGroup
	for range 2 {
		chain := postgres.NewChain(store.Pool())
		sealers.Go(func() { _ = chain.Run(ctx, time.Millisecond, nil) })
	}
	var writers sync.WaitGroup
	const perWriter = 15
	for w := range 16 {
		writers.Go(func() {
			for range perWriter {
				if _, err := store.Append(ctx, fmt.Sprintf("writer-%d", w), eventstore.Any(), event("thing.happened.v1")); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	writers.Wait()
	cancel()
	sealers.Wait()
	chain := postgres.NewChain(store.Pool())
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if _, err := chain.Seal(context.Background()); err != nil {
			t.Fatal(err)
		}
		if head, err := chain.Head(context.Background()); err != nil || head.Seq == 16*perWriter {
			break
		}
	}
	if rep := mustVerify(t, chain); rep.Break != nil || rep.Checked != 16*perWriter {
		t.Fatalf("report = %+v, want %d links and no break", rep, 16*perWriter)
	}
}
