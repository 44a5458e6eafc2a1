package httpapi

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"ledgerdesk/adapters/postgres"
	"ledgerdesk/app/authz"
)

// Limits of the command → read model benchmark: an open loop at a steady rate for
// visibleDuration after visibleWarmup, each command given up on after visibleGiveUp.
const (
	visibleWarmup   = 500 * time.Millisecond
	visibleDuration = 5 * time.Second
	visibleGiveUp   = 10 * time.Second
	// visibleProbe is how often the prober looks for bookings not yet in the read model:
	// the figures' resolution.
	visibleProbe = time.Millisecond
)

// BenchmarkCommandToReadModel is how long a person waits from booking an appointment
// through the API until the clinician's appointment list (its read model) shows it, with
// commands arriving at a steady rate whether or not earlier ones have finished (an open
// loop: a slow response does not slow the arrivals, so queueing shows in the figures).
// "wakeups" is the store as production runs it; its "baseline" is the same path polling
// only (PollOnly, at the default PollInterval), as it was before wake-ups. The target is
// at 100 commands/s with the pool `serve` opens (10, wiring.ServePool); the same at 4
// connections, because six projections and the API share the pool and a wake-up sends all
// of them to it at once; and at 20 commands/s, where polling backs off further between
// commands and so costs more.
//
// Reported: p50-ms and p99-ms from the moment a command was due to the moment its row was
// visible; cmd-p50-ms and cmd-p99-ms until the API answered; lag-p50-ms and lag-p99-ms
// from the answer to visible, the part wake-ups change.
func BenchmarkCommandToReadModel(b *testing.B) {
	for _, c := range []struct {
		rate int
		pool int32
	}{{100, 10}, {100, 4}, {20, 10}} {
		for _, v := range []struct {
			name string
			cfg  postgres.Config
		}{{"wakeups", postgres.Config{}}, {"baseline", postgres.Config{PollOnly: true}}} {
			b.Run(fmt.Sprintf("rate=%d/pool=%d/%s", c.rate, c.pool, v.name), func(b *testing.B) {
				e := newEnvWithStore(b, v.cfg, c.pool, nil)
				b.ResetTimer()
				openLoop(b, e, c.rate)
			})
		}
	}
}

// booking is one command's timeline.
type booking struct {
	id                   string
	due, answered, shown time.Time
	failed               error
}

func openLoop(b *testing.B, e *env, rate int) {
	ctx := context.Background()
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: visibleGiveUp}
	token := e.tokens[authz.Clinician]
	run := time.Now().UnixNano()

	var mu sync.Mutex
	pending := map[string]*booking{}
	var all []*booking
	var wg sync.WaitGroup
	book := func(bk *booking) {
		defer wg.Done()
		body := fmt.Sprintf(`{"patient_id":"p1","clinician_id":"c1","starts_at":"2026-03-04T10:00:00Z","fee":"250.00","appointment_id":%q}`, bk.id)
		r, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/appointments", bytes.NewBufferString(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", "Bearer "+token)
		res, err := client.Do(r)
		answered := time.Now()
		if err == nil {
			_ = res.Body.Close()
			if res.StatusCode >= 300 {
				err = fmt.Errorf("booking %s: %s", bk.id, res.Status)
			}
		}
		mu.Lock()
		defer mu.Unlock()
		bk.answered, bk.failed = answered, err
	}

	// The prober looks for every outstanding booking in one query, on a connection of its
	// own so it takes nothing from the pool the service runs on.
	conn, err := pgx.ConnectConfig(ctx, e.pool.Config().ConnConfig.Copy())
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	stopProbe := make(chan struct{})
	probed := make(chan error, 1)
	go func() { probed <- probe(ctx, conn, &mu, pending, stopProbe) }()

	start := time.Now()
	end := start.Add(visibleWarmup + visibleDuration)
	for i := 0; ; i++ {
		due := start.Add(time.Duration(i) * time.Second / time.Duration(rate))
		if !due.Before(end) {
			break
		}
		time.Sleep(time.Until(due))
		bk := &booking{id: fmt.Sprintf("visible-%d-%d", run, i), due: due}
		mu.Lock()
		pending[bk.id] = bk
		if due.Sub(start) >= visibleWarmup {
			all = append(all, bk)
		}
		mu.Unlock()
		wg.Add(1)
		go book(bk)
	}
	wg.Wait()
	for deadline := time.Now().Add(visibleGiveUp); ; time.Sleep(10 * time.Millisecond) {
		mu.Lock()
		left := len(pending)
		mu.Unlock()
		if left == 0 || time.Now().After(deadline) {
			break
		}
	}
	close(stopProbe)
	if err := <-probed; err != nil {
		b.Fatal(err)
	}
	b.StopTimer()

	mu.Lock()
	defer mu.Unlock()
	var visible, answered, lag []time.Duration
	for _, bk := range all {
		switch {
		case bk.failed != nil:
			b.Fatal(bk.failed)
		case bk.shown.IsZero():
			b.Fatalf("booking %s was not in the read model %s after it was due", bk.id, visibleGiveUp)
		}
		visible = append(visible, bk.shown.Sub(bk.due))
		answered = append(answered, bk.answered.Sub(bk.due))
		lag = append(lag, max(0, bk.shown.Sub(bk.answered)))
	}
	for _, m := range []struct {
		unit string
		ds   []time.Duration
	}{{"", visible}, {"cmd-", answered}, {"lag-", lag}} {
		b.ReportMetric(percentileMS(m.ds, 0.50), m.unit+"p50-ms")
		b.ReportMetric(percentileMS(m.ds, 0.99), m.unit+"p99-ms")
	}
	b.ReportMetric(float64(len(all))/visibleDuration.Seconds(), "commands/s")
	b.ReportMetric(0, "ns/op")
}

// probe marks bookings shown as their rows appear in the read model, until stop.
func probe(ctx context.Context, conn *pgx.Conn, mu *sync.Mutex, pending map[string]*booking, stop <-chan struct{}) error {
	tick := time.NewTicker(visibleProbe)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return nil
		case <-tick.C:
		}
		mu.Lock()
		ids := make([]string, 0, len(pending))
		for id := range pending {
			ids = append(ids, id)
		}
		mu.Unlock()
		if len(ids) == 0 {
			continue
		}
		rows, err := conn.Query(ctx, `SELECT appointment_id FROM proj_appointments.appointments WHERE appointment_id = ANY($1)`, ids)
		if err != nil {
			return err
		}
		found, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		now := time.Now()
		mu.Lock()
		for _, id := range found {
			if bk := pending[id]; bk != nil {
				bk.shown = now
				delete(pending, id)
			}
		}
		mu.Unlock()
	}
}

// percentileMS is the p-th percentile of ds in milliseconds; ds is sorted in place.
func percentileMS(ds []time.Duration, p float64) float64 {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	return float64(ds[int(p*float64(len(ds)-1))].Microseconds()) / 1000
}
