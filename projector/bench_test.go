package projector_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"ledgerdesk/projector"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/adapters/postgres"
	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/eventstore"
	"ledgerdesk/projections"
)

// tally is the trivial projection: it only counts, so the benchmark measures the pipeline
// itself: reading the history, Watermill delivery, and a checkpoint commit per batch.
type tally struct {
	name string
	n    atomic.Int64
}

func (t *tally) Name() string                        { return t.name }
func (t *tally) Setup(context.Context, pgx.Tx) error { return nil }
func (t *tally) Apply(_ context.Context, _ projections.Writer, _ eventstore.RecordedEvent) error {
	t.n.Add(1)
	return nil
}

// BenchmarkProjectionThroughput pushes the whole history through a trivial projection and
// reports events/s and the peak heap, at two history sizes: a flat peak-MB across sizes is
// what "memory flat as the history grows" means. LEDGERDESK_BENCH_EVENTS sets the larger
// size (default 1,000,000).
func BenchmarkProjectionThroughput(b *testing.B) {
	large := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("LEDGERDESK_BENCH_EVENTS")); err == nil && v > 0 {
		large = v
	}
	for _, size := range []int{large / 10, large} {
		b.Run(fmt.Sprintf("events=%d", size), func(b *testing.B) {
			ctx := context.Background()
			url := pgtest.NewDatabase(b)
			pool := newPoolTB(b, url)
			if _, err := pool.Exec(ctx, `INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata)
				SELECT gen_random_uuid(), 'bench-' || (i / 100), i % 100 + 1, 'bench.ticked.v1',
				       jsonb_build_object('n', i, 'note', 'a small payload of realistic size'), '{"correlation_id":"x"}'
				FROM generate_series(0, $1::int - 1) AS i`, size); err != nil {
				b.Fatal(err)
			}
			store := postgres.New(pool, postgres.Config{PollInterval: 10 * time.Millisecond, BatchSize: 5000})
			b.ResetTimer()
			cpuBefore := cpuTime()
			var peak uint64
			for i := 0; i < b.N; i++ {
				p := &tally{name: fmt.Sprintf("tally_%d", i)}
				runtime.GC()
				r, err := projector.NewRunner(ctx, projector.Config{Store: store, DB: pool, Projections: []projections.Projection{p}})
				if err != nil {
					b.Fatal(err)
				}
				runCtx, cancel := context.WithCancel(ctx)
				done := make(chan struct{})
				go func() { defer close(done); _ = r.Run(runCtx) }()
				for {
					var ms runtime.MemStats
					runtime.ReadMemStats(&ms)
					peak = max(peak, ms.HeapInuse)
					var seen int64
					if err := pool.QueryRow(ctx, `SELECT coalesce((SELECT events_seen FROM consumer_checkpoints WHERE consumer = $1), 0)`, p.name).Scan(&seen); err != nil {
						b.Fatal(err)
					}
					if seen >= int64(size) {
						break
					}
					time.Sleep(20 * time.Millisecond)
				}
				cancel()
				<-done
				if p.n.Load() != int64(size) {
					b.Fatalf("applied %d events, want %d", p.n.Load(), size)
				}
			}
			b.ReportMetric(float64(size*b.N)/b.Elapsed().Seconds(), "events/s")
			// On a shared machine wall time mostly measures the neighbours; the projector's
			// own CPU per event says what one dedicated core would sustain.
			b.ReportMetric(float64((cpuTime()-cpuBefore).Microseconds())/float64(size*b.N), "cpu-µs/event")
			b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
		})
	}
}

func newPoolTB(tb testing.TB, url string) *pgxpool.Pool {
	tb.Helper()
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(pool.Close)
	return pool
}

// cpuTime is the CPU this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
