package payments_test

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"ledgerdesk/adapters/prommetrics"
	"ledgerdesk/app"
	"ledgerdesk/domain/appointment"
	"ledgerdesk/policies/payments"
)

// The policies act through the application layer like every other door, so what they do is
// counted in the same series as the API's and the CLI's commands, under door="policy".
func TestThePoliciesCommandsAreCountedWithEveryoneElses(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	m, err := prommetrics.New(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(app.Config{Commands: h.Deps, DB: h.Pool, Metrics: m})
	if err != nil {
		t.Fatal(err)
	}
	h.Policies = payments.All(a)

	bookAndComplete(t, h, "a1", "c1", "250.00", feb10)
	h.Must(h.Appointment("a1", appointment.SubmitForm{AppointmentID: "a1", By: "c1", At: feb10}))
	h.Settle()

	for _, action := range []string{"earnings.accrue", "earnings.release"} {
		if got := testutil.ToFloat64(m.Total(action, app.Command, app.Policy, "ok")); got != 1 {
			t.Errorf("%s by the policies counted %v times, want 1", action, got)
		}
	}
	// Settling again redelivers nothing new, and a redelivered event is a replay, not a
	// second accrual.
	h.Settle()
	if got := testutil.ToFloat64(m.Total("earnings.accrue", app.Command, app.Policy, "ok")); got != 1 {
		t.Errorf("accruals counted %v after settling again", got)
	}
}
