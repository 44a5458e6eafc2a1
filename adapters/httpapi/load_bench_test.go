package httpapi

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"ledgerdesk/app/authz"
)

// Load driver limits: bounded clients and duration, so `make bench` stays short.
const (
	benchClients  = 8
	benchDuration = 2 * time.Second
)

// BenchmarkAPI drives a real server over loopback with concurrent clients and reports
// requests/s with p50 and p99 latency, for a read (a clinician's appointments, from the
// read model) and a command (booking, which appends an event).
func BenchmarkAPI(b *testing.B) {
	e := newEnv(b, nil)
	b.Run("read", func(b *testing.B) {
		drive(b, e, func(int, int) *http.Request {
			r, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/clinicians/c1/appointments", nil)
			return r
		})
	})
	b.Run("command", func(b *testing.B) {
		drive(b, e, func(client, i int) *http.Request {
			body := fmt.Sprintf(`{"patient_id":"p1","clinician_id":"c1","starts_at":"2026-03-04T10:00:00Z","fee":"250.00","appointment_id":"bench-%d-%d-%d"}`, time.Now().UnixNano(), client, i)
			r, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/appointments", bytes.NewBufferString(body))
			r.Header.Set("Content-Type", "application/json")
			return r
		})
	})
}

func drive(b *testing.B, e *env, next func(client, i int) *http.Request) {
	token := e.tokens[authz.Clinician]
	tr := &http.Transport{MaxIdleConnsPerHost: benchClients}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	var mu sync.Mutex
	var lat []time.Duration
	var failed int
	b.ResetTimer()
	begin := time.Now()
	deadline := begin.Add(benchDuration)
	var wg sync.WaitGroup
	for c := range benchClients {
		wg.Go(func() {
			var mine []time.Duration
			bad := 0
			for i := 0; time.Now().Before(deadline); i++ {
				r := next(c, i)
				r.Header.Set("Authorization", "Bearer "+token)
				t0 := time.Now()
				res, err := client.Do(r)
				if err != nil || res.StatusCode >= 300 {
					bad++
				}
				if res != nil {
					_ = res.Body.Close()
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			failed += bad
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := time.Since(begin)
	b.StopTimer()
	if failed > 0 {
		b.Fatalf("%d of %d requests failed", failed, len(lat))
	}
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "req/s")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(0, "ns/op")
}
