package projector_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"ledgerdesk/projector"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/adapters/postgres"
	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/eventstore"
	"ledgerdesk/projections"
)

// counting records how many times each event was applied: any double application shows
// as times = 2, any loss as a missing row.
type counting struct {
	name string
	// failing makes events of type "test.poison" fail while set.
	failing atomic.Bool
}

func (c *counting) Name() string { return c.name }

func (c *counting) Setup(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS applied (event_id uuid PRIMARY KEY, stream text NOT NULL, times int NOT NULL)`)
	return err
}

func (c *counting) Apply(ctx context.Context, w projections.Writer, e eventstore.RecordedEvent) error {
	switch e.Type {
	case "test.poison":
		if c.failing.Load() {
			return errors.New("cannot apply a poison event")
		}
	case "test.badsql":
		if c.failing.Load() {
			// Fails only when the queued writes reach the server: the batch must be
			// replayed one event at a time to find it.
			w.Exec(`INSERT INTO applied (event_id, stream, times) VALUES ($1, NULL, 1)`, e.ID)
			return nil
		}
	}
	w.Exec(`INSERT INTO applied (event_id, stream, times) VALUES ($1, $2, 1)
		ON CONFLICT (event_id) DO UPDATE SET times = applied.times + 1`, e.ID, e.StreamID)
	return nil
}

type env struct {
	url   string
	pool  *pgxpool.Pool
	store *postgres.Store
}

func newEnv(t *testing.T) env {
	t.Helper()
	url := pgtest.NewDatabase(t)
	return env{url: url, pool: newPool(t, url), store: nil}.withStore()
}

func (e env) withStore() env {
	e.store = postgres.New(e.pool, postgres.Config{PollInterval: 10 * time.Millisecond})
	return e
}

func newPool(t *testing.T, url string) *pgxpool.Pool {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = 12
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

func appendEvents(t *testing.T, store eventstore.Store, streams, perStream int, typ string) []uuid.UUID {
	t.Helper()
	var mu sync.Mutex
	var ids []uuid.UUID
	var wg sync.WaitGroup
	errs := make(chan error, streams)
	for s := 0; s < streams; s++ {
		wg.Add(1)
		go func(s int) {
			defer wg.Done()
			stream := fmt.Sprintf("test-%s", uuid.NewString())
			for i := 0; i < perStream; i++ {
				e := eventstore.EventData{ID: uuid.Must(uuid.NewV7()), Type: typ, Data: json.RawMessage(`{"i":1}`)}
				if _, err := store.Append(context.Background(), stream, eventstore.Exactly(uint64(i)), e); err != nil {
					errs <- err
					return
				}
				mu.Lock()
				ids = append(ids, e.ID)
				mu.Unlock()
			}
		}(s)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	return ids
}

func startRunner(t *testing.T, e env, ps ...projections.Projection) *projector.Runner {
	t.Helper()
	r, err := projector.NewRunner(context.Background(), projector.Config{
		Store: e.store, DB: e.pool, Projections: ps, RetryInterval: time.Millisecond, OwnershipPoll: 20 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = r.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	<-r.Running()
	return r
}

// waitFor polls until cond holds or fails the test after a generous deadline.
func waitFor(t *testing.T, what string, cond func() (bool, error)) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		ok, err := cond()
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func countApplied(ctx context.Context, pool *pgxpool.Pool, schema string) (rows, times int64, err error) {
	err = pool.QueryRow(ctx, fmt.Sprintf(`SELECT count(*), coalesce(sum(times), 0) FROM %s.applied`, schema)).Scan(&rows, &times)
	return
}

// assertAppliedExactlyOnce checks that the projection holds exactly ids, each applied once.
func assertAppliedExactlyOnce(t *testing.T, pool *pgxpool.Pool, schema string, ids []uuid.UUID) {
	t.Helper()
	ctx := context.Background()
	var missing, doubled int64
	err := pool.QueryRow(ctx, fmt.Sprintf(`SELECT
		(SELECT count(*) FROM unnest($1::uuid[]) id WHERE NOT EXISTS (SELECT 1 FROM %[1]s.applied a WHERE a.event_id = id)),
		(SELECT count(*) FROM %[1]s.applied WHERE times <> 1)`, schema), ids).Scan(&missing, &doubled)
	if err != nil {
		t.Fatal(err)
	}
	if missing != 0 || doubled != 0 {
		t.Fatalf("%d events never applied, %d applied more than once (of %d)", missing, doubled, len(ids))
	}
}
