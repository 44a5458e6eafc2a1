package httpapi

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"ledgerdesk/app/authz"
	"ledgerdesk/domain/appointment"
)

// streamEvents counts the events in one stream.
func (e *env) streamEvents(t *testing.T, stream string) int {
	t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM events WHERE stream_id = $1`, stream).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestConcurrentRequestsWithOneIdempotencyKeyRunOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	const n = 8
	body := []byte(`{"appointment_id":"idem-race","patient_id":"p1","clinician_id":"c1","starts_at":"2026-03-04T10:00:00Z","fee":"10.00"}`)
	type answer struct {
		status int
		body   []byte
	}
	answers := make([]answer, n)
	var wg sync.WaitGroup
	startLine := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/appointments", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+e.tokens[authz.Clinician])
			req.Header.Set("Idempotency-Key", "race-key")
			<-startLine
			res, err := e.srv.Client().Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			answers[i] = answer{res.StatusCode, b}
		}()
	}
	close(startLine)
	wg.Wait()
	var first *answer
	for i, a := range answers {
		if a.status == http.StatusConflict && decode[Problem](t, a.body).Type == TypeInProgress {
			continue // told to come back later: allowed
		}
		if a.status != http.StatusCreated {
			t.Errorf("request %d: %d %s", i, a.status, a.body)
			continue
		}
		if first == nil {
			first = &answers[i]
		} else if !bytes.Equal(a.body, first.body) {
			t.Errorf("request %d answered\n%s\nwhere another answered\n%s", i, a.body, first.body)
		}
	}
	if first == nil {
		t.Fatal("no request ran")
	}
	if got := e.streamEvents(t, appointment.StreamID("idem-race")); got != 1 {
		t.Fatalf("%d events in the stream, want 1", got)
	}
}

// A request that died holding its key (the process crashed) does not hold it for ever:
// once the claim has lapsed, a retry takes it over and runs.
func TestALapsedIdempotencyClaimIsTakenOver(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *Config) { c.IdempotencyWait = 200 * time.Millisecond })
	book := map[string]any{"appointment_id": "idem-crash", "patient_id": "p1", "clinician_id": "c1", "starts_at": start, "fee": "10.00"}
	// Someone holds the key: a repeat waits, then is told it is in progress.
	if _, err := e.pool.Exec(context.Background(), `INSERT INTO api_idempotency_keys (principal, key, request_hash, command_id, claimed_until)
		VALUES ('clinician:c1', 'held', '\x00', gen_random_uuid(), now() + interval '1 hour')`); err != nil {
		t.Fatal(err)
	}
	res, b := e.do(authz.Clinician, "POST", "/api/v1/appointments", book, "Idempotency-Key", "held")
	if res.StatusCode != http.StatusUnprocessableEntity { // the held row's request differs: reuse is told apart first
		t.Fatalf("held key, other request: %d %s", res.StatusCode, b)
	}
	// The same request, first attempt crashed mid-way: its claim lapsed.
	res, b = e.do(authz.Clinician, "POST", "/api/v1/appointments", book, "Idempotency-Key", "crashed")
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("first attempt: %d %s", res.StatusCode, b)
	}
	if _, err := e.pool.Exec(context.Background(), `UPDATE api_idempotency_keys SET status = NULL, body = NULL, claimed_until = now() + interval '1 hour' WHERE key = 'crashed'`); err != nil {
		t.Fatal(err)
	}
	res, b = e.do(authz.Clinician, "POST", "/api/v1/appointments", book, "Idempotency-Key", "crashed")
	if res.StatusCode != http.StatusConflict || decode[Problem](t, b).Type != TypeInProgress || res.Header.Get("Retry-After") == "" {
		t.Fatalf("while claimed: %d %s, want 409 in progress with Retry-After", res.StatusCode, b)
	}
	if _, err := e.pool.Exec(context.Background(), `UPDATE api_idempotency_keys SET claimed_until = now() - interval '1 second' WHERE key = 'crashed'`); err != nil {
		t.Fatal(err)
	}
	res, b = e.do(authz.Clinician, "POST", "/api/v1/appointments", book, "Idempotency-Key", "crashed")
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("after the claim lapsed: %d %s", res.StatusCode, b)
	}
	if got := e.streamEvents(t, appointment.StreamID("idem-crash")); got != 1 {
		t.Fatalf("%d events, want 1 (the retry reuses the command id)", got)
	}
}
