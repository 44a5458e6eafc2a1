package main

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"ledgerdesk/adapters/postgres/pgtest"
)

// benchProjectorEvents is the history each run's projectors catch up on.
const benchProjectorEvents = 20_000

// BenchmarkProjectProcesses is the projections' combined throughput when one `ledgerdesk
// project` process catches up on a history (the baseline) and when four share the work:
// every projection reads every event, so the figure ("events/s") counts deliveries: events
// times projections, per second. Issue 16's goal is four at least as fast as one.
func BenchmarkProjectProcesses(b *testing.B) {
	for _, c := range []struct {
		name      string
		processes int
	}{{"baseline", 1}, {"four", 4}} {
		b.Run(c.name, func(b *testing.B) {
			var rate float64
			for range b.N {
				rate = catchUp(b, c.processes)
			}
			b.ReportMetric(rate, "events/s")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// catchUp starts n projector processes on a fresh database, waits until they have shared
// out every projection, then appends the history and times them until every projection
// has seen every event: start-up is not what is measured, the work is.
func catchUp(b *testing.B, n int) float64 {
	b.StopTimer()
	url := pgtest.NewDatabase(b)
	pool := procPool(b, url)
	consumers := projectionNames(b, url)
	want := int64(benchProjectorEvents * len(consumers))
	var procs []*proc
	running := func() []string {
		var names []string
		for i := range procs {
			names = append(names, fmt.Sprintf("bench-project-%d", i))
		}
		return names
	}
	for i := range n {
		procs = append(procs, startProc(b, url+"&application_name="+fmt.Sprintf("bench-project-%d", i), nil, "project"))
	}
	owned := ownedOnce(b, pool, consumers, running)
	procs[0].waitUntil("every projection owned, shared out evenly", func() bool {
		if !owned() {
			return false
		}
		held := heldBy(b, pool)
		lo, hi := len(consumers), 0
		for _, name := range running() {
			lo, hi = min(lo, held[name]), max(hi, held[name])
		}
		return hi-lo <= 1
	})
	b.StartTimer()
	start := time.Now()
	procSeedNoise(b, pool, benchProjectorEvents)
	for {
		var seen int64
		if err := pool.QueryRow(context.Background(), `SELECT coalesce(sum(events_seen), 0) FROM consumer_checkpoints`).Scan(&seen); err != nil {
			b.Fatal(err)
		}
		if seen >= want {
			break
		}
		if time.Since(start) > 10*time.Minute {
			b.Fatalf("after 10 minutes %d of %d deliveries", seen, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	for _, p := range procs {
		p.signal(syscall.SIGTERM)
		if st := p.exitStatus(); st != 0 {
			b.Fatalf("a projector exited %d:\n%s", st, p.out.String())
		}
	}
	b.StartTimer()
	return float64(want) / elapsed.Seconds()
}
