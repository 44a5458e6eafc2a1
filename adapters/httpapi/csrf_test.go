package httpapi

import (
	"context"
	"net/http"
	"testing"

	"ledgerdesk/app/authz"
)

func TestCookieStateChangesFromAForeignOriginAreRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *Config) {
		c.TrustedOrigins = []string{"https://app.example"}
		c.Login = func(context.Context, string, string, string, string) (string, string, error) {
			return "p1", "patient", nil
		}
	})
	cookie := e.signIn(t, e.tokens[authz.Clinician])
	book := func(id string) map[string]any {
		return map[string]any{"appointment_id": id, "patient_id": "p1", "clinician_id": "c1", "starts_at": start, "fee": "10.00"}
	}
	before := e.eventCount(t)
	// A form posted from elsewhere, riding on the cookie.
	res, b := e.asSession(cookie, "POST", "/api/v1/appointments", book("csrf-1"), "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
	if res.StatusCode != http.StatusForbidden || decode[Problem](t, b).Type != TypeForbidden {
		t.Fatalf("cross-site POST with a cookie: %d %s, want a 403 problem", res.StatusCode, b)
	}
	// The same without Sec-Fetch-Site (older browsers send only Origin).
	if res, b := e.asSession(cookie, "POST", "/api/v1/appointments", book("csrf-2"), "Origin", "https://evil.example"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("foreign Origin with a cookie: %d %s, want 403", res.StatusCode, b)
	}
	// Signing someone out is a state change too.
	if res, b := e.asSession(cookie, "DELETE", "/api/v1/sessions/current", nil, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site sign-out: %d %s, want 403", res.StatusCode, b)
	}
	// A foreign page signing the victim in to someone's account (login CSRF).
	if res, b := e.do("", "POST", "/api/v1/sessions", map[string]any{"email": "p1@example.org", "password": "x"}, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site password sign-in: %d %s, want 403", res.StatusCode, b)
	}
	if after := e.eventCount(t); after != before {
		t.Fatalf("%d events appended by refused requests", after-before)
	}
	// Reading is not a state change.
	if res, b := e.asSession(cookie, "GET", "/api/v1/me", nil, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"); res.StatusCode != http.StatusOK {
		t.Fatalf("cross-site GET: %d %s", res.StatusCode, b)
	}
	// Same origin, and a configured trusted origin, go through.
	if res, b := e.asSession(cookie, "POST", "/api/v1/appointments", book("same-1"), "Origin", e.srv.URL, "Sec-Fetch-Site", "same-origin"); res.StatusCode != http.StatusCreated {
		t.Fatalf("same-origin POST: %d %s", res.StatusCode, b)
	}
	if res, b := e.asSession(cookie, "POST", "/api/v1/appointments", book("trusted-1"), "Origin", "https://app.example", "Sec-Fetch-Site", "cross-site"); res.StatusCode != http.StatusCreated {
		t.Fatalf("POST from the trusted origin: %d %s", res.StatusCode, b)
	}
	// A bearer token is no ambient credential: a foreign Origin does not matter.
	if res, b := e.do(authz.Clinician, "POST", "/api/v1/appointments", book("bearer-1"), "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"); res.StatusCode != http.StatusCreated {
		t.Fatalf("bearer POST from a foreign origin: %d %s", res.StatusCode, b)
	}
}
