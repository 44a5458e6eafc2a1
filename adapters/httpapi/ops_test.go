package httpapi

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"ledgerdesk/app/authz"
)

func TestReadyzAndMetricsAreForOperatorsOnly(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, path := range []string{"/readyz", "/metrics"} {
		if res, b := e.do("", "GET", path, nil); res.StatusCode != http.StatusUnauthorized || decode[Problem](t, b).Type != TypeUnauthorized {
			t.Errorf("%s anonymous: %d %.200s, want a 401 problem", path, res.StatusCode, b)
		}
		if res, b := e.do(authz.Patient, "GET", path, nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s as a patient: %d %.200s, want 403", path, res.StatusCode, b)
		}
		for _, r := range []authz.Role{authz.ITSupport, authz.Auditor, authz.Admin} {
			if res, b := e.do(r, "GET", path, nil); res.StatusCode != http.StatusOK {
				t.Errorf("%s as %s: %d %.200s, want 200", path, r, res.StatusCode, b)
			}
		}
	}
	if res, b := e.do("", "GET", "/healthz", nil); res.StatusCode != http.StatusOK {
		t.Errorf("/healthz anonymous: %d %s, want 200", res.StatusCode, b)
	}
}

func TestOpsCanBeServedOnAHandlerOfTheirOwn(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *Config) { c.SeparateOps = true })
	ops := httptest.NewServer(e.api.OpsHandler())
	t.Cleanup(ops.Close)
	for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
		res, err := ops.Client().Get(ops.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("ops %s: %d, want 200 (the ops address is private)", path, res.StatusCode)
		}
	}
	// The public handler keeps only /healthz.
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 404, "/metrics": 404} {
		if res, b := e.do(authz.Admin, "GET", path, nil); res.StatusCode != want {
			t.Errorf("public %s: %d %.200s, want %d", path, res.StatusCode, b, want)
		}
	}
}
