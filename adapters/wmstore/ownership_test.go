package wmstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/adapters/wmstore"
)

// liveness bounds how long a test waits for something that must happen; reaching it is a
// failure, never a measurement.
const liveness = 15 * time.Second

func connConfig(t *testing.T, url string) *pgx.ConnConfig {
	t.Helper()
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// holders maps each advisory lock key held in this database to the backends holding it.
func holders(t *testing.T, pool *pgxpool.Pool) map[int64][]int32 {
	t.Helper()
	rows, err := pool.Query(context.Background(), `
		SELECT (classid::bigint << 32) | objid::bigint, pid FROM pg_locks
		WHERE locktype = 'advisory' AND granted AND objsubid = 1
		  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64][]int32{}
	for rows.Next() {
		var key int64
		var pid int32
		if err := rows.Scan(&key, &pid); err != nil {
			t.Fatal(err)
		}
		out[key] = append(out[key], pid)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func own(t *testing.T, o *wmstore.Ownership, consumer string) (context.Context, func()) {
	t.Helper()
	owned, release, err := o.Own(context.Background(), consumer, 10*time.Millisecond)
	if err != nil {
		t.Fatalf("owning %s: %v", consumer, err)
	}
	return owned, release
}

func TestOneConnectionHoldsEveryConsumerAProcessOwns(t *testing.T) {
	url := pgtest.NewDatabase(t)
	pool := newPool(t, url)
	o := wmstore.NewOwnership(connConfig(t, url), 0)
	defer o.Close()
	const consumers = 13
	for i := range consumers {
		_, release := own(t, o, fmt.Sprintf("projection_%d", i))
		defer release()
	}
	held := holders(t, pool)
	pids := map[int32]bool{}
	for i := range consumers {
		who := held[wmstore.LockKey(fmt.Sprintf("projection_%d", i))]
		if len(who) != 1 {
			t.Fatalf("projection_%d is held by %v, want exactly one backend", i, who)
		}
		pids[who[0]] = true
	}
	if len(pids) != 1 {
		t.Fatalf("%d consumers are held on %d connections, want 1", consumers, len(pids))
	}
	if got := o.Held(); got != consumers {
		t.Fatalf("Held() = %d, want %d", got, consumers)
	}
}

func TestAConsumerHasOneOwnerAndTheNextTakesOverOnRelease(t *testing.T) {
	url := pgtest.NewDatabase(t)
	first := wmstore.NewOwnership(connConfig(t, url), 0)
	defer first.Close()
	second := wmstore.NewOwnership(connConfig(t, url), 0)
	defer second.Close()

	_, release := own(t, first, "invoices")
	took := make(chan func(), 1)
	go func() {
		_, r, err := second.Own(context.Background(), "invoices", 10*time.Millisecond)
		if err == nil {
			took <- r
		}
		close(took)
	}()
	// The second process is polling; as long as the first holds, it must not get in. Give
	// it many polls' worth of chances.
	select {
	case <-took:
		t.Fatal("a second process took a consumer that another process still owns")
	case <-time.After(300 * time.Millisecond):
	}
	release()
	select {
	case r, ok := <-took:
		if !ok {
			t.Fatal("the second process failed to take the released consumer")
		}
		r()
	case <-time.After(liveness):
		t.Fatal("the second process never took over the released consumer")
	}
}

func TestTwoConsumersOfOneNameInOneProcessDoNotBothOwnIt(t *testing.T) {
	url := pgtest.NewDatabase(t)
	o := wmstore.NewOwnership(connConfig(t, url), 0)
	defer o.Close()
	_, release := own(t, o, "journal")
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, r, err := o.Own(ctx, "journal", 10*time.Millisecond); err == nil {
		r()
		t.Fatal("advisory locks are re-entrant per session: the second local consumer must wait all the same")
	}
	release()
	_, r := own(t, o, "journal")
	r()
}

func TestLosingTheOwnershipConnectionEndsTheOwnersContextAndFreesTheConsumer(t *testing.T) {
	url := pgtest.NewDatabase(t)
	pool := newPool(t, url)
	first := wmstore.NewOwnership(connConfig(t, url), 20*time.Millisecond)
	defer first.Close()
	owned, release := own(t, first, "payouts")
	defer release()
	who := holders(t, pool)[wmstore.LockKey("payouts")]
	if len(who) != 1 {
		t.Fatalf("payouts held by %v", who)
	}
	if _, err := pool.Exec(context.Background(), `SELECT pg_terminate_backend($1)`, who[0]); err != nil {
		t.Fatal(err)
	}
	select {
	case <-owned.Done():
	case <-time.After(liveness):
		t.Fatal("the owner went on believing it owned the consumer after its connection died")
	}
	second := wmstore.NewOwnership(connConfig(t, url), 0)
	defer second.Close()
	_, r := own(t, second, "payouts")
	r()
	// The first process can own again once it is free: the ownership reconnects.
	_, r = own(t, first, "other")
	r()
}

func newPool(t *testing.T, url string) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}
