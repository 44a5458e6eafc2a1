package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"ledgerdesk/adapters/httpapi"
	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/adapters/prommetrics"
	"ledgerdesk/app"
	"ledgerdesk/app/authz"
	"ledgerdesk/cmd/ledgerdesk/internal/clitest"
	"ledgerdesk/cmd/ledgerdesk/internal/operations"
	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
)

// TestTheCLIRefusesAnotherClinicianSubmittingAFormAsTheAPIDoes: the CLI goes through the
// same door as the API, so `appointments form ID --clinician clin-A --as clin-B` is refused
// for the same reason, in the same words, as clin-B's POST .../form (403), and changes
// nothing; the appointment's own clinician then submits it. Every step is counted in the
// process's operation metrics under the CLI door, beside the API's.
func TestTheCLIRefusesAnotherClinicianSubmittingAFormAsTheAPIDoes(t *testing.T) {
	t.Setenv("DATABASE_URL", pgtest.NewDatabase(t))
	ctx := context.Background()
	cliCount := func(action, outcome string) float64 {
		return testutil.ToFloat64(mustOperations(t).Total(action, app.Command, app.CLI, outcome))
	}
	before := cliCount("appointment.submit_form", "forbidden")

	if _, err := clitest.Run(t, "appointments", "book", "--id", "a6", "--patient", "pat-1", "--clinician", "clin-A",
		"--starts", "2025-02-10T14:30:00Z", "--fee", "250"); err != nil {
		t.Fatal(err)
	}
	if _, err := clitest.Run(t, "appointments", "complete", "a6"); err != nil {
		t.Fatal(err)
	}

	_, cliErr := clitest.Run(t, "appointments", "form", "a6", "--clinician", "clin-A", "--as", "clin-B")
	if !errors.Is(cliErr, authz.ErrForbidden) {
		t.Fatalf("clin-B submitting clin-A's form from the CLI: got %v, want it refused as forbidden", cliErr)
	}

	// The same request over HTTP, as clin-B.
	d := clitest.Open(t)
	handler, err := operations.HTTPHandler(context.Background(), d, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	tok, err := httpapi.CreateToken(ctx, d.DB, nil, authz.Actor{Subject: "clin-B", Role: authz.Clinician}, "test", 0)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/appointments/a6/form", bytes.NewReader(nil))
	req.Header.Set("Authorization", "Bearer "+tok.Secret)
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var problem struct{ Detail string }
	_ = json.NewDecoder(res.Body).Decode(&problem)
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("over HTTP: status %d, want 403", res.StatusCode)
	}
	if problem.Detail != cliErr.Error() {
		t.Errorf("the two doors give different reasons:\n  CLI:  %s\n  HTTP: %s", cliErr, problem.Detail)
	}

	out, err := clitest.Run(t, "appointments", "form", "a6", "--clinician", "clin-A")
	if err != nil {
		t.Fatalf("clin-A submitting their own form: %v", err)
	}
	if !strings.Contains(out, "submitted") {
		t.Errorf("printed %q", out)
	}
	if got := cliCount("appointment.submit_form", "forbidden") - before; got != 1 {
		t.Errorf("refused CLI form submissions counted: %v, want 1", got)
	}
	if got := cliCount("appointment.submit_form", "ok"); got < 1 {
		t.Errorf("CLI form submissions counted ok: %v, want at least 1", got)
	}
	if got := testutil.ToFloat64(mustOperations(t).Total("appointment.submit_form", app.Command, app.HTTP, "forbidden")); got < 1 {
		t.Errorf("the API's refusal is not counted beside the CLI's: %v", got)
	}
}

func mustOperations(t *testing.T) *prommetrics.Operations {
	t.Helper()
	m, err := wiring.Operations()
	if err != nil {
		t.Fatal(err)
	}
	return m
}
