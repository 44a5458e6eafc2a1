package httpapi

import (
	"net/http"
	"testing"
	"time"

	"ledgerdesk/app/authz"
)

// TestTicketOpeningIsLimitedPerAccountAndOnlyAcceptedTicketsCount: two accounts behind
// one address each get their own quota, and a refused request leaves the quota intact.
func TestTicketOpeningIsLimitedPerAccountAndOnlyAcceptedTicketsCount(t *testing.T) {
	t.Parallel()
	newLimited := func() *env {
		return newEnv(t, func(c *Config) {
			c.Limits = Limits{Login: Limit{Every: time.Hour, Burst: 5}, PasswordReset: Limit{Every: time.Hour, Burst: 5}, TicketCreate: Limit{Every: time.Hour, Burst: 2}}
		})
	}
	open := func(e *env, role authz.Role, body string) int {
		res, b := e.do(role, "POST", "/api/v1/tickets", map[string]any{"category": "payments", "subject": "Refund", "body": body})
		if res.StatusCode == http.StatusTooManyRequests && res.Header.Get("Retry-After") == "" {
			t.Errorf("429 without Retry-After: %s", b)
		}
		return res.StatusCode
	}
	quota := func(e *env, role authz.Role) {
		for i := range 2 {
			if s := open(e, role, "Charged twice"); s != http.StatusCreated {
				t.Errorf("%s ticket %d of a quota of 2: %d, want 201", role, i+1, s)
				return
			}
		}
		if s := open(e, role, "Charged three times"); s != http.StatusTooManyRequests {
			t.Errorf("%s ticket past the quota: %d, want 429", role, s)
		}
	}

	t.Run("two accounts behind one address each have their quota", func(t *testing.T) {
		e := newLimited()
		// Both come from the test client's one address.
		quota(e, authz.Patient)
		quota(e, authz.Clinician)
	})
	t.Run("a refused request leaves the quota intact", func(t *testing.T) {
		e := newLimited()
		for range 3 {
			if s := open(e, authz.Patient, "NUL \u0000 in the body"); s != http.StatusBadRequest {
				t.Fatalf("invalid ticket: %d, want 400", s)
			}
		}
		quota(e, authz.Patient)
	})
}
