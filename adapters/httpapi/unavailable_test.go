package httpapi

import (
	"context"
	"net/http"
	"testing"

	"github.com/jackc/pgx/v5"

	"ledgerdesk/app/authz"
)

// TestADatabaseOutOfReachIs503WithRetryAfter stops the test database taking connections
// and ends the ones the API holds, as a PostgreSQL restart does: every request is then a
// 503 problem with Retry-After, not a 500.
func TestADatabaseOutOfReachIs503WithRetryAfter(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	ctx := context.Background()
	db := e.pool.Config().ConnConfig.Database
	cc := e.pool.Config().ConnConfig.Copy()
	cc.Database = "postgres"
	admin, err := pgx.ConnectConfig(ctx, cc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec(context.Background(), `ALTER DATABASE `+pgx.Identifier{db}.Sanitize()+` ALLOW_CONNECTIONS true`)
		_ = admin.Close(context.Background())
	})
	if res, b := e.do(authz.Admin, "GET", "/api/v1/invoices", nil); res.StatusCode != 200 {
		t.Fatalf("before: %d %s", res.StatusCode, b)
	}
	if _, err := admin.Exec(ctx, `ALTER DATABASE `+pgx.Identifier{db}.Sanitize()+` ALLOW_CONNECTIONS false`); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, db); err != nil {
		t.Fatal(err)
	}
	for _, r := range []struct {
		method, path string
		body         any
	}{
		{"GET", "/api/v1/invoices", nil},
		{"GET", "/api/v1/appointments/a-1", nil},
		{"POST", "/api/v1/appointments", map[string]any{"patient_id": "p1", "clinician_id": "c1", "starts_at": start, "fee": "10.00"}},
		{"POST", "/api/v1/invoices", map[string]any{"patient_id": "p1"}},
	} {
		// The first use of each dead pooled connection and the attempts at new ones alike.
		for range 3 {
			res, b := e.do(authz.Admin, r.method, r.path, r.body)
			if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") != RetryAfterUnavailable || decode[Problem](t, b).Type != TypeUnavailable {
				t.Fatalf("%s %s with the database gone: %d %s (Retry-After %q), want 503 with Retry-After %s", r.method, r.path, res.StatusCode, b, res.Header.Get("Retry-After"), RetryAfterUnavailable)
			}
		}
	}
}
