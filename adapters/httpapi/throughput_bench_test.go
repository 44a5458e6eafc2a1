package httpapi

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"ledgerdesk/adapters/postgres"
	"ledgerdesk/app/authz"
)

// Command throughput at 16 concurrent clients, as serve runs it (a pool of 10, the read
// models projecting beside it): the API's whole command path — token, idempotency record,
// load, decide, append — against plain single-row INSERTs of the same event row by 16
// goroutines on the same pool, measured in the same run. Issue 16's target is 0.5x.
const (
	throughputClients  = 16
	throughputDuration = 2 * time.Second
	throughputPool     = 10 // THROUGHPUT_POOL overrides
)

func BenchmarkCommandThroughput(b *testing.B) {
	pool := int32(throughputPool)
	if v, err := strconv.Atoi(os.Getenv("THROUGHPUT_POOL")); err == nil {
		pool = int32(v)
	}
	var traced *sqlTimes
	if os.Getenv("THROUGHPUT_TRACE") != "" {
		traced = &sqlTimes{by: map[string]*sqlTime{}}
		benchTracer = traced
		defer func() { benchTracer = nil }()
	}
	e := newEnvWithStore(b, postgres.Config{}, pool, nil)
	ctx := context.Background()
	if _, err := e.pool.Exec(ctx, `CREATE TABLE baseline_events (LIKE events INCLUDING ALL)`); err != nil {
		b.Fatal(err)
	}
	b.Run("baseline", func(b *testing.B) {
		rate := closedLoop(b, func(int, int) error {
			_, err := e.pool.Exec(ctx, `INSERT INTO baseline_events (event_id, stream_id, stream_version, type, data, metadata) VALUES ($1, $2, 1, $3, $4, '{}')`,
				uuid.Must(uuid.NewV7()), "appointment-"+uuid.NewString(), "appointment.booked.v1",
				`{"appointment_id":"x","patient_id":"p1","clinician_id":"c1","starts_at":"2026-03-04T10:00:00Z","fee":"250.00"}`)
			return err
		})
		b.ReportMetric(rate, "events/s")
		b.ReportMetric(0, "ns/op")
	})
	b.Run("api", func(b *testing.B) {
		token := e.tokens[authz.Clinician]
		tr := &http.Transport{MaxIdleConnsPerHost: throughputClients}
		defer tr.CloseIdleConnections()
		client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
		run := uuid.NewString()
		rate := closedLoop(b, func(c, i int) error {
			body := fmt.Sprintf(`{"patient_id":"p1","clinician_id":"c1","starts_at":"2026-03-04T10:00:00Z","fee":"250.00","appointment_id":"tp-%s-%d-%d"}`, run, c, i)
			r, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/appointments", bytes.NewBufferString(body))
			r.Header.Set("Content-Type", "application/json")
			r.Header.Set("Authorization", "Bearer "+token)
			r.Header.Set("Idempotency-Key", fmt.Sprintf("tp-%s-%d-%d", run, c, i))
			res, err := client.Do(r)
			if err != nil {
				return err
			}
			_ = res.Body.Close()
			if res.StatusCode >= 300 {
				return fmt.Errorf("status %d", res.StatusCode)
			}
			return nil
		})
		b.ReportMetric(rate, "events/s")
		b.ReportMetric(0, "ns/op")
		if traced != nil {
			traced.print()
		}
	})
}

// closedLoop runs op from throughputClients goroutines for throughputDuration and returns
// completed ops per second; any failure fails the benchmark.
func closedLoop(b *testing.B, op func(client, i int) error) float64 {
	var done, failed atomic.Int64
	var first atomic.Value
	deadline := time.Now().Add(throughputDuration)
	begin := time.Now()
	var wg sync.WaitGroup
	for c := range throughputClients {
		wg.Go(func() {
			for i := 0; time.Now().Before(deadline); i++ {
				if err := op(c, i); err != nil {
					failed.Add(1)
					first.CompareAndSwap(nil, err)
					continue
				}
				done.Add(1)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(begin)
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d ops failed, the first: %v", n, first.Load())
	}
	return float64(done.Load()) / elapsed.Seconds()
}
