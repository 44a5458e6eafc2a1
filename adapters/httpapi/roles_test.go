package httpapi

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"ledgerdesk/app/authz"
	"ledgerdesk/domain/appointment"
	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/money"
	"ledgerdesk/projections/invoices"
)

var start = time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)

func (e *env) bookedAppointment(t *testing.T) string {
	id := uuid.NewString()
	exec(t, e, appointment.Decider, appointment.StreamID(id), appointment.Command(appointment.Book{
		AppointmentID: id, PatientID: "p1", ClinicianID: "c1", StartsAt: start, Fee: money.GBP("250.00"), At: start.Add(-time.Hour)}))
	return id
}

func (e *env) completedAppointment(t *testing.T) string {
	id := e.bookedAppointment(t)
	exec(t, e, appointment.Decider, appointment.StreamID(id), appointment.Command(appointment.Complete{AppointmentID: id, At: start.Add(time.Hour)}))
	return id
}

func (e *env) draftInvoice(t *testing.T, withItem bool) string {
	id := uuid.NewString()
	exec(t, e, invoice.Decider, invoice.StreamID(id), invoice.Command(invoice.Raise{InvoiceID: id, PatientID: "p1", At: start}))
	if withItem {
		exec(t, e, invoice.Decider, invoice.StreamID(id), invoice.Command(invoice.AddBillableItem{InvoiceID: id, ItemID: "item-1", ClinicianID: "c1", Description: "letter", Amount: money.GBP("100.00"), At: start}))
	}
	return id
}

func (e *env) issuedInvoice(t *testing.T) string {
	id := e.draftInvoice(t, true)
	exec(t, e, invoice.Decider, invoice.StreamID(id), invoice.Command(invoice.Issue{InvoiceID: id, At: start}))
	return id
}

// every role, for cases everyone may do.
func every(status int) map[authz.Role]int {
	m := map[authz.Role]int{}
	for _, r := range authz.Roles() {
		m[r] = status
	}
	return m
}

// TestEveryEndpointAnswersEveryRoleAsThePolicySays sends each endpoint a request as each
// role (and as nobody) against fresh records the patient p1 and clinician c1 own. A role
// not listed must get 403; nobody must get 401. Every response is then checked against
// the OpenAPI document.
func TestEveryEndpointAnswersEveryRoleAsThePolicySays(t *testing.T) {
	t.Parallel()
	// Six roles open tickets from one address: lift the ticket limit (tested on its own).
	e := newEnv(t, func(c *Config) { c.Limits = Limits{TicketCreate: Limit{Every: time.Millisecond, Burst: 1000}} })
	listed := e.draftInvoice(t, true)
	patientsTicket := e.projectedTicket(t, "p1")
	// The clinician raises billable items only for a patient they have an appointment with.
	e.bookedAppointment(t)
	e.waitForMeeting(t, "p1")
	waitFor(t, "the invoice read model", func() bool {
		_, err := invoices.Get(context.Background(), e.pool, listed)
		return err == nil
	})
	P, C, A, Au, Ad, IT, SA := authz.Patient, authz.Clinician, authz.Accounts, authz.Auditor, authz.Admin, authz.ITSupport, authz.SupportAgent
	cases := []struct {
		name   string
		method string
		path   func(t *testing.T) string
		body   any
		want   map[authz.Role]int
	}{
		{"me", "GET", func(*testing.T) string { return "/api/v1/me" }, nil, every(200)},
		{"session from token", "POST", func(*testing.T) string { return "/api/v1/sessions" }, nil, every(201)},
		{"get appointment", "GET", func(t *testing.T) string { return "/api/v1/appointments/" + e.bookedAppointment(t) }, nil,
			map[authz.Role]int{P: 200, C: 200, A: 200, Au: 200, Ad: 200}},
		{"clinician's appointments", "GET", func(*testing.T) string { return "/api/v1/clinicians/c1/appointments" }, nil,
			map[authz.Role]int{C: 200, A: 200, Au: 200, Ad: 200}},
		{"book", "POST", func(*testing.T) string { return "/api/v1/appointments" },
			map[string]any{"patient_id": "p1", "clinician_id": "c1", "starts_at": start, "fee": "250.00"},
			map[authz.Role]int{P: 201, C: 201, Ad: 201}},
		{"reschedule", "POST", func(t *testing.T) string { return "/api/v1/appointments/" + e.bookedAppointment(t) + "/reschedule" },
			map[string]any{"starts_at": start.Add(24 * time.Hour)}, map[authz.Role]int{P: 200, C: 200, Ad: 200}},
		{"cancel", "POST", func(t *testing.T) string { return "/api/v1/appointments/" + e.bookedAppointment(t) + "/cancel" },
			map[string]any{"reason": "unwell"}, map[authz.Role]int{P: 200, C: 200, Ad: 200}},
		{"complete", "POST", func(t *testing.T) string { return "/api/v1/appointments/" + e.bookedAppointment(t) + "/complete" },
			map[string]any{}, map[authz.Role]int{C: 200, Ad: 200}},
		{"submit form", "POST", func(t *testing.T) string { return "/api/v1/appointments/" + e.completedAppointment(t) + "/form" },
			nil, map[authz.Role]int{C: 200}},
		{"list invoices", "GET", func(*testing.T) string { return "/api/v1/invoices" }, nil,
			map[authz.Role]int{P: 200, A: 200, Au: 200, Ad: 200}},
		{"get invoice", "GET", func(*testing.T) string { return "/api/v1/invoices/" + listed }, nil,
			map[authz.Role]int{P: 200, A: 200, Au: 200, Ad: 200}},
		{"raise invoice", "POST", func(*testing.T) string { return "/api/v1/invoices" }, map[string]any{"patient_id": "p1"},
			map[authz.Role]int{A: 201, Ad: 201}},
		{"add item", "POST", func(t *testing.T) string { return "/api/v1/invoices/" + e.draftInvoice(t, false) + "/items" },
			map[string]any{"clinician_id": "c1", "description": "report", "amount": "80.00"}, map[authz.Role]int{C: 200, A: 200, Ad: 200}},
		{"issue invoice", "POST", func(t *testing.T) string { return "/api/v1/invoices/" + e.draftInvoice(t, true) + "/issue" },
			nil, map[authz.Role]int{A: 200, Ad: 200}},
		{"record payment", "POST", func(t *testing.T) string { return "/api/v1/invoices/" + e.issuedInvoice(t) + "/payments" },
			map[string]any{"payment_id": "pay-1", "amount": "100.00"}, map[authz.Role]int{A: 200}},
		{"void invoice", "POST", func(t *testing.T) string { return "/api/v1/invoices/" + e.draftInvoice(t, true) + "/void" },
			map[string]any{"reason": "raised in error"}, map[authz.Role]int{A: 200, Ad: 200}},
		{"clinician's earnings", "GET", func(*testing.T) string { return "/api/v1/clinicians/c1/earnings" }, nil,
			map[authz.Role]int{C: 200, A: 200, Au: 200, Ad: 200}},
		{"list payouts", "GET", func(*testing.T) string { return "/api/v1/payouts" }, nil, map[authz.Role]int{A: 200, Au: 200, Ad: 200}},
		{"get payout", "GET", func(*testing.T) string { return "/api/v1/payouts/no-such-run" }, nil, map[authz.Role]int{A: 404, Au: 404, Ad: 404}},
		{"run payout (nothing to pay yet)", "POST", func(*testing.T) string { return "/api/v1/payouts" },
			map[string]any{"payout_id": "run-" + uuid.NewString(), "cutoff": "2026-03-31"}, map[authz.Role]int{A: 422}},
		{"tick off V1 item", "POST", func(t *testing.T) string { return "/api/v1/v1/items/" + e.v1Item(t) + "/tick-off" },
			map[string]any{"note": "settled by BACS"}, map[authz.Role]int{A: 200}},
		{"undo V1 tick", "POST", func(t *testing.T) string { return "/api/v1/v1/items/" + e.tickedV1Item(t) + "/undo-tick-off" },
			map[string]any{"reason": "ticked the wrong line"}, map[authz.Role]int{A: 200}},
		{"V1 reconciliation report", "GET", func(*testing.T) string { return "/api/v1/v1/report" }, nil, map[authz.Role]int{A: 200, Au: 200, Ad: 200}},
		{"open ticket", "POST", func(*testing.T) string { return "/api/v1/tickets" },
			map[string]any{"category": "payments", "subject": "Refund", "body": "I was charged twice"},
			map[authz.Role]int{P: 201, C: 201, SA: 201, IT: 201, A: 201, Ad: 201}},
		{"my tickets", "GET", func(*testing.T) string { return "/api/v1/tickets" }, nil,
			map[authz.Role]int{P: 200, C: 200, SA: 200, IT: 200, A: 200, Au: 200, Ad: 200}},
		// Someone else's ticket reads as not found to a requester, exactly like a missing one.
		{"a patient's ticket", "GET", func(*testing.T) string { return "/api/v1/tickets/" + patientsTicket }, nil,
			map[authz.Role]int{P: 200, C: 404, SA: 200, IT: 200, A: 404, Au: 200, Ad: 200}},
		{"reply to a patient's ticket", "POST", func(t *testing.T) string { return "/api/v1/tickets/" + e.openTicket(t, "p1") + "/replies" },
			map[string]any{"body": "Any news?"}, map[authz.Role]int{P: 200, SA: 200, IT: 200}},
		{"internal note", "POST", func(t *testing.T) string { return "/api/v1/tickets/" + e.openTicket(t, "p1") + "/notes" },
			map[string]any{"body": "check the bank file"}, map[authz.Role]int{SA: 200, IT: 200}},
		{"mark a patient's ticket solved", "POST", func(t *testing.T) string { return "/api/v1/tickets/" + e.openTicket(t, "p1") + "/status" },
			map[string]any{"status": "solved"}, map[authz.Role]int{P: 200, SA: 200, IT: 200}},
		{"ticket queue", "GET", func(*testing.T) string { return "/api/v1/support/queue" }, nil, map[authz.Role]int{SA: 200, IT: 200, Au: 200, Ad: 200}},
		{"ticket with internal notes", "GET", func(*testing.T) string { return "/api/v1/support/tickets/" + patientsTicket }, nil,
			map[authz.Role]int{SA: 200, IT: 200}},
		{"assign a ticket", "POST", func(t *testing.T) string { return "/api/v1/support/tickets/" + e.openTicket(t, "p1") + "/assignment" },
			map[string]any{"agent_id": subjectOf(SA)}, map[authz.Role]int{SA: 200, IT: 200}},
		{"set a ticket's priority", "POST", func(t *testing.T) string { return "/api/v1/support/tickets/" + e.openTicket(t, "p1") + "/priority" },
			map[string]any{"priority": "high"}, map[authz.Role]int{SA: 200, IT: 200}},
		{"ticket timeline", "GET", func(*testing.T) string { return "/api/v1/support/tickets/" + patientsTicket + "/timeline" }, nil,
			map[authz.Role]int{SA: 200, IT: 200}},
		{"a ticket's blocked address", "GET", func(*testing.T) string { return "/api/v1/support/tickets/" + patientsTicket + "/blocked-ip" }, nil,
			map[authz.Role]int{SA: 200, IT: 200}},
		// Not a blocked-IP ticket: the agents get past the rule and are told there is nothing to unblock.
		{"unblock a ticket's address", "POST", func(*testing.T) string { return "/api/v1/support/tickets/" + patientsTicket + "/unblock-ip" },
			map[string]any{"account_id": subjectOf(P)}, map[authz.Role]int{SA: 422, IT: 422}},
		{"agents to assign to", "GET", func(*testing.T) string { return "/api/v1/support/agents" }, nil, map[authz.Role]int{SA: 200, IT: 200}},
		{"projection status", "GET", func(*testing.T) string { return "/api/v1/projections" }, nil, map[authz.Role]int{IT: 200, Au: 200, Ad: 200}},
	}
	for _, c := range cases {
		for _, role := range append([]authz.Role{""}, authz.Roles()...) {
			want, ok := c.want[role]
			switch {
			case role == "":
				want = http.StatusUnauthorized
			case !ok:
				want = http.StatusForbidden
			}
			res, body := e.do(role, c.method, c.path(t), c.body)
			if res.StatusCode != want {
				t.Errorf("%s as %q: status %d, want %d: %s", c.name, role, res.StatusCode, want, body)
			}
		}
	}
	e.checkContract(t)
}
