package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/adapters/postgres"
	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/eventstore"
	"ledgerdesk/migrations"
)

// The append benchmarks measure the store against the cheapest thing Postgres can do with
// the same rows: plain INSERTs into baseline_events, a copy of the events table's columns,
// constraints and indexes without its triggers. Each measurement gets a fresh, freshly
// migrated database on the same server and a pool of the same size, so the ratio between
// the two isolates what the store's append (expected-version check, idempotency,
// RETURNING) costs on top of the insert.
// cmd/benchreport pairs every .../store with its .../baseline and prints the ratio.

// benchPoolSize is the pool both the store and the baseline get, whatever the writer count.
const benchPoolSize = 16

// Realistic payloads: an appointment.completed event's data (~300 bytes) and the envelope
// metadata every command writes (~150 bytes). Both go through jsonb parsing in either path.
var (
	benchData = []byte(`{"appointment_id":"0190f3a2-6b1c-7d4e-9a51-3c2b8e1f4a77","clinician_id":"0190f3a2-6b1c-7d4e-9a51-3c2b8e1f4a78","patient_id":"0190f3a2-6b1c-7d4e-9a51-3c2b8e1f4a79","fee":"250.00","currency":"GBP","ledger":"V2","scheduled_for":"2026-02-05T10:30:00Z","completed_at":"2026-02-05T11:20:00Z","kind":"follow_up_video"}`)
	benchMeta = []byte(`{"correlation_id":"0190f3a2-6b1c-7d4e-9a51-3c2b8e1f4a80","causation_id":"0190f3a2-6b1c-7d4e-9a51-3c2b8e1f4a81","actor":"clinician:4a78","command_id":"c-81"}`)
)

const benchType = "appointment.completed.v1"

// op appends one unit of work: one event for singles, one batch for batches.
type op func(ctx context.Context) error

// newWriter returns one writer's op; each writer owns its streams, so writers never contend
// on a stream and every conflict would be a bug, not noise.
type newWriter func(pool *pgxpool.Pool, store *postgres.Store, batch int) op

// BenchmarkAppend is BenchmarkAppend/{single,batch100}/writers={1,16}/{store,baseline,store-pollonly}:
// singles put each event on a new stream (NoStream), batches extend each writer's stream
// by 100 events (Exactly). ns/op is per event for singles and per batch for batches;
// events/s compares across both. store-pollonly is the store with wake-ups off (it sends
// no NOTIFY), so that store beside it shows what waking other processes costs appends.
func BenchmarkAppend(b *testing.B) {
	shapes := []struct {
		name  string
		batch int
	}{{"single", 1}, {"batch100", 100}}
	variants := []variant{{"store", "events", storeWriter}, {"baseline", "baseline_events", baselineWriter},
		{"store-pollonly", "events", storeWriter}}
	for _, shape := range shapes {
		b.Run(shape.name, func(b *testing.B) {
			for _, writers := range []int{1, 16} {
				b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
					for _, v := range variants {
						b.Run(v.name, func(b *testing.B) { runAppend(b, writers, shape.batch, v) })
					}
				})
			}
		})
	}
}

// variant is one way of writing the rows, and the table they land in.
type variant struct {
	name, table string
	new         newWriter
}

// runAppend spreads b.N ops over writers goroutines and reports events per second.
func runAppend(b *testing.B, writers, batch int, v variant) {
	ctx := context.Background()
	pool := benchPool(b)
	store := postgres.New(pool, postgres.Config{PollOnly: v.name == "store-pollonly"})
	ops := make([]op, writers)
	for i := range ops {
		ops[i] = v.new(pool, store, batch)
	}
	// Warm up outside the timer: open the connections, prepare the statements, and for
	// batches write each stream's first batch so the timed ones all use Exactly(v).
	if err := parallel(writers, func(w int) error { return ops[w](ctx) }); err != nil {
		b.Fatal(err)
	}

	b.ResetTimer()
	err := parallel(writers, func(w int) error {
		n := b.N / writers
		if w < b.N%writers {
			n++
		}
		for range n {
			if err := ops[w](ctx); err != nil {
				return err
			}
		}
		return nil
	})
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	// A figure is only worth reporting if every event really landed.
	var rows int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM "+v.table).Scan(&rows); err != nil {
		b.Fatal(err)
	}
	if want := (writers + b.N) * batch; rows != want {
		b.Fatalf("%s holds %d rows after %d warm-up and %d timed ops of %d events, want %d", v.table, rows, writers, b.N, batch, want)
	}
	b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "events/s")
}

// parallel runs f for 0..n-1 concurrently and returns the first error.
func parallel(n int, f func(w int) error) error {
	var wg sync.WaitGroup
	errs := make([]error, n)
	for w := range n {
		wg.Go(func() { errs[w] = f(w) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// benchPool opens a pool on a fresh migrated database that also holds baseline_events.
//
// It migrates an empty database itself rather than copying pgtest's template: a bench
// run creates a database per measurement over minutes, and a `make test` finishing
// alongside drops the shared templates.
func benchPool(b *testing.B) *pgxpool.Pool {
	b.Helper()
	ctx := context.Background()
	url := pgtest.NewEmptyDatabase(b)
	if _, err := migrations.ApplyURL(ctx, url); err != nil {
		b.Fatal(err)
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		b.Fatal(err)
	}
	cfg.MaxConns = benchPoolSize
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	if err := createBaseline(ctx, pool); err != nil {
		b.Fatal(err)
	}
	return pool
}

// createBaseline copies events' columns, defaults (so the xid8 stamp is paid too),
// constraints and indexes; LIKE never copies triggers.
func createBaseline(ctx context.Context, pool *pgxpool.Pool) error {
	_, err := pool.Exec(ctx, `CREATE TABLE baseline_events (LIKE events INCLUDING ALL)`)
	return err
}

func newStream() string { return "appointment-" + uuid.NewString() }

func benchEvents(n int) []eventstore.EventData {
	evs := make([]eventstore.EventData, n)
	for i := range evs {
		evs[i] = eventstore.EventData{ID: uuid.Must(uuid.NewV7()), Type: benchType, Data: benchData, Metadata: benchMeta}
	}
	return evs
}

// storeWriter appends through the store: singles each open a new stream (NoStream),
// batches extend the writer's stream with Exactly(version).
func storeWriter(_ *pgxpool.Pool, store *postgres.Store, batch int) op {
	stream, version := newStream(), uint64(0)
	return func(ctx context.Context) error {
		if batch == 1 {
			_, err := store.Append(ctx, newStream(), eventstore.NoStream(), benchEvents(1)...)
			return err
		}
		res, err := store.Append(ctx, stream, eventstore.Exactly(version), benchEvents(batch)...)
		version = res.Version
		return err
	}
}

const baselineSingleSQL = `INSERT INTO baseline_events (event_id, stream_id, stream_version, type, data, metadata) VALUES ($1, $2, $3, $4, $5, $6)`

// baselineWriter inserts the same rows the store would: one autocommit INSERT per single
// event, one multi-row INSERT per batch.
func baselineWriter(pool *pgxpool.Pool, _ *postgres.Store, batch int) op {
	if batch == 1 {
		return func(ctx context.Context) error {
			_, err := pool.Exec(ctx, baselineSingleSQL, uuid.Must(uuid.NewV7()), newStream(), 1, benchType, string(benchData), string(benchMeta))
			return err
		}
	}
	sql := baselineBatchSQL(batch)
	stream, version := newStream(), 0
	return func(ctx context.Context) error {
		args := make([]any, 0, 1+5*batch)
		args = append(args, stream)
		for _, e := range benchEvents(batch) {
			version++
			args = append(args, e.ID, version, e.Type, string(e.Data), string(e.Metadata))
		}
		_, err := pool.Exec(ctx, sql, args...)
		return err
	}
}

// baselineBatchSQL is one INSERT of n rows sharing the stream id, as the store's does.
func baselineBatchSQL(n int) string {
	var sb strings.Builder
	sb.WriteString(`INSERT INTO baseline_events (event_id, stream_id, stream_version, type, data, metadata) VALUES `)
	for i := range n {
		if i > 0 {
			sb.WriteString(", ")
		}
		p := 2 + 5*i
		fmt.Fprintf(&sb, "($%d, $1, $%d, $%d, $%d, $%d)", p, p+1, p+2, p+3, p+4)
	}
	return sb.String()
}

// The comparison is only fair if the baseline pays for the same indexes, constraints and
// defaults as the events table, and nothing else.
func TestBaselineTableMirrorsTheEventsTable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	if err := createBaseline(ctx, pool); err != nil {
		t.Fatal(err)
	}
	describe := func(table string) string {
		var out string
		err := pool.QueryRow(ctx, `
			SELECT concat_ws(E'\n',
			  (SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod) || ' notnull=' || attnotnull
			          || ' identity=' || attidentity::text || ' default=' || coalesce(pg_get_expr(d.adbin, d.adrelid), ''), E'\n' ORDER BY attnum)
			     FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
			    WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped),
			  (SELECT string_agg(def, E'\n' ORDER BY def) FROM (
			     SELECT indisunique::text || ' ' || regexp_replace(pg_get_indexdef(indexrelid), '^.* USING ', '') AS def
			       FROM pg_index WHERE indrelid = $1::regclass) i),
			  (SELECT string_agg(def, E'\n' ORDER BY def) FROM (
			     SELECT contype::text || ' ' || pg_get_constraintdef(oid) AS def
			       FROM pg_constraint WHERE conrelid = $1::regclass) c))`, table).Scan(&out)
		if err != nil {
			t.Fatal(err)
		}
		return strings.ReplaceAll(out, "baseline_events", "events")
	}
	if got, want := describe("baseline_events"), describe("events"); got != want {
		t.Fatalf("baseline_events differs from events:\n%s\nwant:\n%s", got, want)
	}
	var triggers int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM pg_trigger WHERE tgrelid = 'baseline_events'::regclass`).Scan(&triggers); err != nil {
		t.Fatal(err)
	}
	if triggers != 0 {
		t.Fatalf("baseline_events has %d triggers, want none", triggers)
	}
}

// BenchmarkTailPoll is what every subscription pays per poll: caught-up is an idle poll
// that finds nothing (the safe horizon and an index probe), batch1000 reads a full batch,
// and caught-up-bystanders=4 is the idle poll while four transactions that wrote to
// another table are open, so the horizon has to look at who holds which lock.
func BenchmarkTailPoll(b *testing.B) {
	ctx := context.Background()
	pool := benchPool(b)
	store := postgres.New(pool, postgres.Config{})
	for range 10 {
		if _, err := store.Append(ctx, newStream(), eventstore.NoStream(), benchEvents(100)...); err != nil {
			b.Fatal(err)
		}
	}
	// On a shared server (and before the tail ignored other databases) the events may take
	// a moment to come into view.
	var all []eventstore.RecordedEvent
	for deadline := time.Now().Add(30 * time.Second); len(all) < 1000 && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		var err error
		if all, err = store.ReadAll(ctx, eventstore.Start, 1000); err != nil {
			b.Fatal(err)
		}
	}
	if len(all) != 1000 {
		b.Fatalf("read %d of 1000 events", len(all))
	}
	for _, c := range []struct {
		name string
		from eventstore.Position
		want int
	}{{"caught-up", all[len(all)-1].Position, 0}, {"batch1000", eventstore.Start, 1000}} {
		b.Run(c.name, func(b *testing.B) { benchPoll(b, store, c.from, c.want) })
	}
	b.Run("caught-up-bystanders=4", func(b *testing.B) {
		if _, err := pool.Exec(ctx, `CREATE TABLE IF NOT EXISTS unrelated (n int)`); err != nil {
			b.Fatal(err)
		}
		for range 4 {
			tx, err := pool.Begin(ctx)
			if err != nil {
				b.Fatal(err)
			}
			defer tx.Rollback(ctx) //nolint:errcheck // the benchmark is over
			if _, err := tx.Exec(ctx, `INSERT INTO unrelated VALUES (1)`); err != nil {
				b.Fatal(err)
			}
		}
		benchPoll(b, store, all[len(all)-1].Position, 0)
	})
}

func benchPoll(b *testing.B, store *postgres.Store, from eventstore.Position, want int) {
	ctx := context.Background()
	for b.Loop() {
		got, err := store.ReadAll(ctx, from, 1000)
		if err != nil || len(got) != want {
			b.Fatalf("read %d events, want %d: %v", len(got), want, err)
		}
	}
}
