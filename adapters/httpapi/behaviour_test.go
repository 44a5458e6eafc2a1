package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"ledgerdesk/codec"

	"ledgerdesk/app/authz"
	"ledgerdesk/commands"
	"ledgerdesk/domain/appointment"
)

func TestARepeatedIdempotencyKeyReplaysTheFirstResponseAndRefusesADifferentBody(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	body := map[string]any{"appointment_id": "idem-1", "patient_id": "p1", "clinician_id": "c1", "starts_at": start, "fee": "250.00"}
	r1, b1 := e.do(authz.Clinician, "POST", "/api/v1/appointments", body, "Idempotency-Key", "k-1")
	r2, b2 := e.do(authz.Clinician, "POST", "/api/v1/appointments", body, "Idempotency-Key", "k-1")
	if r1.StatusCode != 201 || r2.StatusCode != 201 || string(b1) != string(b2) || r2.Header.Get("Idempotent-Replayed") != "true" || r2.Header.Get("ETag") != `"1"` {
		t.Fatalf("repeat: %d %s / %d %s %v, want the first 201 replayed", r1.StatusCode, b1, r2.StatusCode, b2, r2.Header)
	}
	_, v, err := commands.Load(context.Background(), e.deps, appointment.Decider, appointment.StreamID("idem-1"))
	if err != nil || v != 1 {
		t.Fatalf("stream version %d (%v), want 1: the repeat must record nothing", v, err)
	}
	body["fee"] = "300.00"
	r3, b3 := e.do(authz.Clinician, "POST", "/api/v1/appointments", body, "Idempotency-Key", "k-1")
	if r3.StatusCode != 422 || decode[Problem](t, b3).Type != TypeIdempotencyKey {
		t.Fatalf("same key, different body: %d %s, want 422 %s", r3.StatusCode, b3, TypeIdempotencyKey)
	}
	// Keys belong to their principal: the patient's k-1 is a different key.
	body["appointment_id"] = "idem-2"
	if r4, b4 := e.do(authz.Patient, "POST", "/api/v1/appointments", body, "Idempotency-Key", "k-1"); r4.StatusCode != 201 {
		t.Fatalf("another principal's key: %d %s, want 201", r4.StatusCode, b4)
	}
	e.checkContract(t)
}

func TestIfMatchRefusesACommandAgainstAStaleVersionWithTheCurrentOne(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	id := e.bookedAppointment(t)
	res, b := e.do(authz.Clinician, "GET", "/api/v1/appointments/"+id, nil)
	if res.StatusCode != 200 || res.Header.Get("ETag") != `"1"` {
		t.Fatalf("get: %d %s etag %q", res.StatusCode, b, res.Header.Get("ETag"))
	}
	move := map[string]any{"starts_at": start.Add(time.Hour)}
	res, b = e.do(authz.Clinician, "POST", "/api/v1/appointments/"+id+"/reschedule", move, "If-Match", `"1"`)
	if res.StatusCode != 200 || res.Header.Get("ETag") != `"2"` {
		t.Fatalf("matching If-Match: %d %s", res.StatusCode, b)
	}
	res, b = e.do(authz.Clinician, "POST", "/api/v1/appointments/"+id+"/reschedule", move, "If-Match", `"1"`)
	p := decode[Problem](t, b)
	if res.StatusCode != 409 || p.Type != TypeVersion || p.CurrentVersion == nil || *p.CurrentVersion != 2 || res.Header.Get("ETag") != `"2"` {
		t.Fatalf("stale If-Match: %d %s, want 409 version-mismatch with current_version 2", res.StatusCode, b)
	}
	if res, b = e.do(authz.Clinician, "POST", "/api/v1/appointments/"+id+"/reschedule", move, "If-Match", "yesterday"); res.StatusCode != 400 {
		t.Fatalf("garbled If-Match: %d %s, want 400", res.StatusCode, b)
	}
	e.checkContract(t)
}

func TestDomainErrorsAreProblemsWithAStableType(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	id := e.bookedAppointment(t)
	cases := []struct {
		name, path string
		body       any
		status     int
		typ        string
	}{
		{"form before completion", "/api/v1/appointments/" + id + "/form", nil, 409, TypeConflict},
		// Only a role that may act on anyone's appointment learns that one does not exist.
		{"no such appointment (admin)", "/api/v1/appointments/nope/complete", map[string]any{}, 404, TypeNotFound},
		{"no such appointment (clinician)", "/api/v1/appointments/nope/complete", map[string]any{}, 403, TypeForbidden},
		{"three decimal places", "/api/v1/appointments", map[string]any{"patient_id": "p1", "clinician_id": "c1", "starts_at": start, "fee": "1.234"}, 422, TypeValidation},
		{"someone else's clinic", "/api/v1/appointments", map[string]any{"patient_id": "p1", "clinician_id": "c2", "starts_at": start, "fee": "1.00"}, 403, TypeForbidden},
	}
	for _, c := range cases {
		role := authz.Clinician
		if strings.HasSuffix(c.name, "(admin)") {
			role = authz.Admin
		}
		res, b := e.do(role, "POST", c.path, c.body)
		if p := decode[Problem](t, b); res.StatusCode != c.status || p.Type != c.typ || res.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s: %d %s, want %d %s as problem+json", c.name, res.StatusCode, b, c.status, c.typ)
		}
	}
	e.checkContract(t)
}

func TestLoginAndPasswordResetAreRateLimitedPerAccountAndPerIP(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *Config) {
		c.Limits = Limits{Login: Limit{Every: time.Hour, Burst: 2}, PasswordReset: Limit{Every: time.Hour, Burst: 1}, TicketCreate: Limit{Every: time.Hour, Burst: 1}}
		c.Login = func(_ context.Context, email, password, _, _ string) (string, string, error) {
			if password != "right" {
				return "", "", errors.New("the email address or password is not right")
			}
			return "p1", "patient", nil
		}
		c.PasswordReset = func(context.Context, string, string) error { return nil }
	})
	login := func(pw string) (*http.Response, []byte) {
		return e.do("", "POST", "/api/v1/sessions", map[string]any{"email": "p1@example.org", "password": pw})
	}
	if res, b := login("wrong"); res.StatusCode != 401 {
		t.Fatalf("wrong password: %d %s", res.StatusCode, b)
	}
	res, b := login("right")
	if res.StatusCode != 201 || !strings.Contains(res.Header.Get("Set-Cookie"), "HttpOnly") || !strings.Contains(res.Header.Get("Set-Cookie"), "Secure") || !strings.Contains(res.Header.Get("Set-Cookie"), "SameSite=Strict") {
		t.Fatalf("login: %d %s cookie %q", res.StatusCode, b, res.Header.Get("Set-Cookie"))
	}
	res, b = login("right")
	if res.StatusCode != 429 || res.Header.Get("Retry-After") == "" || decode[Problem](t, b).Type != TypeRateLimited {
		t.Fatalf("third attempt: %d %s, want 429 with Retry-After", res.StatusCode, b)
	}
	if res, b := e.do("", "POST", "/api/v1/password-resets", map[string]any{"email": "p1@example.org"}); res.StatusCode != 202 {
		t.Fatalf("reset: %d %s", res.StatusCode, b)
	}
	if res, b := e.do("", "POST", "/api/v1/password-resets", map[string]any{"email": "p1@example.org"}); res.StatusCode != 429 || res.Header.Get("Retry-After") == "" {
		t.Fatalf("second reset: %d %s, want 429", res.StatusCode, b)
	}
	e.checkContract(t)
}

func TestTheCorrelationIDTravelsIntoTheEventMetadata(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	cid := commands.NewCommandID().String()
	res, b := e.do(authz.Clinician, "POST", "/api/v1/appointments", map[string]any{"appointment_id": "corr-1", "patient_id": "p1", "clinician_id": "c1", "starts_at": start, "fee": "10.00"},
		CorrelationHeader, cid)
	if res.StatusCode != 201 || res.Header.Get(CorrelationHeader) != cid {
		t.Fatalf("book: %d %s", res.StatusCode, b)
	}
	recs, err := e.deps.Store.ReadStream(context.Background(), appointment.StreamID("corr-1"), 1, 10)
	if err != nil || len(recs) != 1 {
		t.Fatalf("events: %v %v", recs, err)
	}
	m, err := codec.ParseMetadata(recs[0].Metadata)
	if err != nil || m.CorrelationID.String() != cid || m.Actor != "c1" {
		t.Fatalf("metadata %+v (%v), want correlation %s and actor c1", m, err, cid)
	}
}

func TestOperationalEndpoints(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	e.do(authz.Clinician, "GET", "/api/v1/me", nil)
	for path, want := range map[string]string{
		"/healthz": `"ok"`,
		"/readyz":  `"lag"`,
		"/metrics": "ledgerdesk_projection_lag_events",
	} {
		res, b := e.do(authz.Auditor, "GET", path, nil) // operators only: see ops_test.go
		if res.StatusCode != 200 || !strings.Contains(string(b), want) {
			t.Errorf("%s: %d, want 200 containing %s: %.300s", path, res.StatusCode, want, b)
		}
	}
	_, b := e.do(authz.Auditor, "GET", "/metrics", nil)
	for _, s := range []string{`ledgerdesk_http_request_duration_seconds_count{method="GET",route="/api/v1/me",status="200"}`, "ledgerdesk_projection_parked_events"} {
		if !strings.Contains(string(b), s) {
			t.Errorf("metrics lack %s", s)
		}
	}
}
