package projector_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"ledgerdesk/projector"

	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/adapters/postgres"
	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/app"
	"ledgerdesk/audit"
	"ledgerdesk/codec"
	"ledgerdesk/eventstore"
	"ledgerdesk/projections"
	"ledgerdesk/projections/earnings"
	"ledgerdesk/projections/invoices"
	"ledgerdesk/projections/journal"
	"ledgerdesk/projections/payouts"
	"ledgerdesk/projections/projectiontest"
	"ledgerdesk/projections/support"
	"ledgerdesk/projections/v1recon"
)

// readModels are the read models with SQL writes, decoding with c.
func readModels(c *codec.Codec) []projections.Projection {
	return []projections.Projection{
		earnings.New(c), journal.New(c), invoices.New(c), payouts.New(c), v1recon.New(c),
		support.NewAccounts(c), support.NewTickets(c),
	}
}

// BenchmarkRebuild rebuilds every real read model from a generated practice history
// (projectiontest.History: appointments, invoices, billable items, payouts, V1 items,
// tickets, accounts) and compares each with the trivial projection run through the live
// pipeline (the runner, Watermill, a checkpoint per batch) over the same history in the
// same run: ".../baseline". "audit-replay" is `audit replay` of all of them, shadow
// schemas and comparison included; as each read model replays the whole history, its
// events/s counts every read model's events (events × read models / time), which is what
// compares with one rebuild.
//
// Two history sizes, LEDGERDESK_REBUILD_EVENTS (default 100,000) and a tenth of it: a
// peak-MB that stays the same across sizes is what "memory flat as the history grows"
// means. Decoding goes through the Postgres key store, as in production, cold at the start
// of each rebuild.
func BenchmarkRebuild(b *testing.B) {
	large := 100_000
	if v, err := strconv.Atoi(os.Getenv("LEDGERDESK_REBUILD_EVENTS")); err == nil && v > 0 {
		large = v
	}
	for _, size := range []int{large / 10, large} {
		b.Run(fmt.Sprintf("events=%d", size), func(b *testing.B) {
			ctx := context.Background()
			pool := newPoolTB(b, pgtest.NewDatabase(b))
			enc := newBenchCodec(b, pool)
			if err := projectiontest.WriteHistory(ctx, pool, enc, size); err != nil {
				b.Fatal(err)
			}
			store := postgres.New(pool, postgres.Config{PollInterval: 10 * time.Millisecond, BatchSize: 5000})
			runs := 0 // each run needs a consumer of its own, across the rounds of b.N too
			b.Run("baseline", func(b *testing.B) {
				peak := watchHeap(b, func(int) { runs++; runTally(b, ctx, pool, store, fmt.Sprintf("tally_%d", runs), size) })
				reportRate(b, size, peak)
			})
			for _, p := range readModels(enc) {
				if err := projector.Setup(ctx, pool, p); err != nil {
					b.Fatal(err)
				}
				b.Run(p.Name(), func(b *testing.B) {
					peak := watchHeap(b, func(int) {
						// A fresh codec each time: its key cache starts cold, as a rebuild's would.
						p := projectionNamed(readModels(newBenchCodec(b, pool)), p.Name())
						if err := projector.Rebuild(ctx, pool, store, p, nil); err != nil {
							b.Fatal(err)
						}
					})
					reportRate(b, size, peak)
				})
			}
			b.Run("audit-replay", func(b *testing.B) {
				models := len(readModels(enc))
				peak := watchHeap(b, func(int) {
					rep, err := audit.Replay(ctx, audit.ReplayConfig{DB: pool, Store: store, Projections: readModels(newBenchCodec(b, pool))})
					if err != nil {
						b.Fatal(err)
					}
					if d := rep.Differences(); len(d) > 0 {
						b.Fatalf("the replay differs from the rebuilt read models: %v", d)
					}
				})
				reportRate(b, size*models, peak)
			})
		})
	}
}

func newBenchCodec(tb testing.TB, pool *pgxpool.Pool) *codec.Codec {
	tb.Helper()
	keys, err := postgres.NewKeyStore(pool, postgres.KeyStoreConfig{})
	if err != nil {
		tb.Fatal(err)
	}
	c, err := codec.New(keys, app.EventTypes()...)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func projectionNamed(ps []projections.Projection, name string) projections.Projection {
	for _, p := range ps {
		if p.Name() == name {
			return p
		}
	}
	panic("no projection " + name)
}

// watchHeap runs f b.N times, timed, and returns the highest heap in use seen meanwhile.
func watchHeap(b *testing.B, f func(i int)) uint64 {
	b.Helper()
	runtime.GC()
	var peak uint64
	var mu sync.Mutex
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			mu.Lock()
			peak = max(peak, ms.HeapInuse)
			mu.Unlock()
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f(i)
	}
	b.StopTimer()
	close(stop)
	<-done
	mu.Lock()
	defer mu.Unlock()
	return peak
}

func reportRate(b *testing.B, events int, peak uint64) {
	b.ReportMetric(float64(events*b.N)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
}

// runTally runs the trivial projection through the live pipeline until it has seen the
// whole history of size events.
func runTally(b *testing.B, ctx context.Context, pool *pgxpool.Pool, store eventstore.Store, name string, size int) {
	b.Helper()
	p := &tally{name: name}
	r, err := projector.NewRunner(ctx, projector.Config{Store: store, DB: pool, Projections: []projections.Projection{p}})
	if err != nil {
		b.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = r.Run(runCtx) }()
	defer func() { cancel(); <-done }()
	for p.n.Load() < int64(size) {
		time.Sleep(2 * time.Millisecond)
	}
	// Wait for the last batch's commit too: it is part of the pipeline's work.
	for {
		var seen int64
		if err := pool.QueryRow(ctx, `SELECT coalesce((SELECT events_seen FROM consumer_checkpoints WHERE consumer = $1), 0)`, name).Scan(&seen); err != nil {
			b.Fatal(err)
		}
		if seen >= int64(size) {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
}
