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

// catchUp seeds a fresh database, starts n projector processes, and times them until every
// projection has seen every event.
func catchUp(b *testing.B, n int) float64 {
	b.StopTimer()
	url := pgtest.NewDatabase(b)
	pool := procPool(b, url)
	procSeedNoise(b, pool, benchProjectorEvents)
	consumers := len(projectionNames(b, url))
	want := int64(benchProjectorEvents * consumers)
	b.StartTimer()
	start := time.Now()
	var procs []*proc
	for range n {
		procs = append(procs, startProc(b, url, nil, "project"))
	}
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
		time.Sleep(20 * time.Millisecond)
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
	if testing.Verbose() {
		fmt.Printf("%d process(es): %d deliveries in %s\n", n, want, elapsed)
	}
	return float64(want) / elapsed.Seconds()
}
