package httpapi

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"ledgerdesk/adapters/postgres"
	"ledgerdesk/app"
	"ledgerdesk/app/authz"
	"ledgerdesk/domain/ledger"
)

// benchPolicies, when set, makes the benchmark environment run the payments policies
// beside the read models, as serve does.
var benchPolicies bool

// Limits of the policy chain benchmark.
const (
	chainRate     = 50
	chainDuration = 4 * time.Second
)

// BenchmarkPolicyChain is the wait from a clinician submitting the post-consultation form
// to the earning showing as released in the clinician's earnings: the form's event wakes
// the consultation-earnings policy, whose release command wakes the earnings read model.
// Forms arrive at a steady rate (an open loop) on appointments completed beforehand; the
// baseline is the same with the store polling only. Issue 16's target is p99 under 100 ms.
func BenchmarkPolicyChain(b *testing.B) {
	for _, v := range []struct {
		name string
		cfg  postgres.Config
	}{{"wakeups", postgres.Config{}}, {"baseline", postgres.Config{PollOnly: true}}} {
		b.Run(v.name, func(b *testing.B) {
			benchPolicies = true
			e := newEnvWithStore(b, v.cfg, 10, nil)
			benchPolicies = false
			chain(b, e)
		})
	}
}

func chain(b *testing.B, e *env) {
	ctx := context.Background()
	admin := app.Call{Actor: authz.Actor{Subject: "bench-admin", Role: authz.Admin}, Door: app.HTTP}
	goLive, err := ledger.ParseDate("2025-02-03")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := e.api.cfg.App.EnsureGoLive(ctx, admin, goLive); err != nil {
		b.Fatal(err)
	}
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	token := e.tokens[authz.Clinician]
	post := func(path, body string) error {
		r, _ := http.NewRequest("POST", e.srv.URL+path, bytes.NewBufferString(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", "Bearer "+token)
		res, err := client.Do(r)
		if err != nil {
			return err
		}
		_ = res.Body.Close()
		if res.StatusCode >= 300 {
			return fmt.Errorf("%s: %s", path, res.Status)
		}
		return nil
	}
	n := chainRate * int(chainDuration/time.Second)
	run := time.Now().UnixNano()
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("chain-%d-%d", run, i)
		if err := post("/api/v1/appointments", fmt.Sprintf(`{"patient_id":"p1","clinician_id":"c1","starts_at":"2026-03-04T10:00:00Z","fee":"250.00","appointment_id":%q}`, ids[i])); err != nil {
			b.Fatal(err)
		}
		if err := post("/api/v1/appointments/"+ids[i]+"/complete", `{}`); err != nil {
			b.Fatal(err)
		}
	}
	conn, err := pgx.ConnectConfig(ctx, e.pool.Config().ConnConfig.Copy())
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	// Every earning accrued (pending) before the clock starts.
	for deadline := time.Now().Add(visibleGiveUp * 3); ; time.Sleep(20 * time.Millisecond) {
		var pending int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM proj_earnings.earnings WHERE appointment_id = ANY($1)`, ids).Scan(&pending); err != nil {
			b.Fatal(err)
		}
		if pending == n {
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("only %d of %d earnings accrued", pending, n)
		}
	}

	var mu sync.Mutex
	due := map[string]time.Time{}
	shown := map[string]time.Time{}
	stop := make(chan struct{})
	probed := make(chan error, 1)
	go func() {
		tick := time.NewTicker(visibleProbe)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				probed <- nil
				return
			case <-tick.C:
			}
			mu.Lock()
			var waiting []string
			for id := range due {
				if _, ok := shown[id]; !ok {
					waiting = append(waiting, id)
				}
			}
			mu.Unlock()
			if len(waiting) == 0 {
				continue
			}
			rows, err := conn.Query(ctx, `SELECT appointment_id FROM proj_earnings.earnings WHERE appointment_id = ANY($1) AND status = 'released'`, waiting)
			if err != nil {
				probed <- err
				return
			}
			found, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				probed <- err
				return
			}
			now := time.Now()
			mu.Lock()
			for _, id := range found {
				shown[id] = now
			}
			mu.Unlock()
		}
	}()
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	var failed error
	for i, id := range ids {
		at := start.Add(time.Duration(i) * time.Second / chainRate)
		time.Sleep(time.Until(at))
		mu.Lock()
		due[id] = at
		mu.Unlock()
		wg.Go(func() {
			if err := post("/api/v1/appointments/"+id+"/form", `{}`); err != nil {
				mu.Lock()
				failed = err
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	for deadline := time.Now().Add(visibleGiveUp); ; time.Sleep(10 * time.Millisecond) {
		mu.Lock()
		left := len(due) - len(shown)
		mu.Unlock()
		if left == 0 || time.Now().After(deadline) {
			break
		}
	}
	close(stop)
	if err := <-probed; err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	if failed != nil {
		b.Fatal(failed)
	}
	var waits []time.Duration
	for id, at := range due {
		s, ok := shown[id]
		if !ok {
			b.Fatalf("the earning of %s was not released %s after its form", id, visibleGiveUp)
		}
		waits = append(waits, s.Sub(at))
	}
	b.ReportMetric(percentileMS(waits, 0.50), "p50-ms")
	b.ReportMetric(percentileMS(waits, 0.99), "p99-ms")
	b.ReportMetric(0, "ns/op")
}
