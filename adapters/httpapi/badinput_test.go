package httpapi

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"ledgerdesk/app/authz"
)

// eventCount is how many events the store holds.
func (e *env) eventCount(t *testing.T) int64 {
	t.Helper()
	var n int64
	if err := e.pool.QueryRow(context.Background(), "SELECT count(*) FROM events").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestBadInputIsAProblemNamingTheFieldAndAppendsNothing sends every endpoint's string
// fields a NUL byte (in the body, or as %00 in the path or query), every time field the
// year 9999, and invoice ids with the punctuation no id may hold. Each must be a 400 or 422
// problem that names the field, never a 500, and nothing may be appended.
func TestBadInputIsAProblemNamingTheFieldAndAppendsNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	appt := e.bookedAppointment(t)
	inv := e.draftInvoice(t, true)
	issued := e.issuedInvoice(t)
	tk := e.projectedTicket(t, "p1")
	ref := e.v1Item(t)
	ticked := e.tickedV1Item(t)
	const nul = "a\u0000b"
	const y9999 = "9999-01-01T00:00:00Z"
	book := func(k string, v any) map[string]any {
		b := map[string]any{"patient_id": "p1", "clinician_id": "c1", "starts_at": start, "fee": "250.00"}
		b[k] = v
		return b
	}
	item := func(k, v string) map[string]any {
		b := map[string]any{"clinician_id": "c1", "description": "letter", "amount": "10.00"}
		b[k] = v
		return b
	}
	ticketBody := func(k, v string) map[string]any {
		b := map[string]any{"category": "blocked_ip", "subject": "Blocked", "body": "Please unblock me", "ip": "203.0.113.7"}
		b[k] = v
		return b
	}
	cases := []struct {
		name   string
		role   authz.Role
		method string
		path   string
		body   any
		field  string // as the problem names it
	}{
		{"book appointment_id", authz.Admin, "POST", "/api/v1/appointments", book("appointment_id", nul), "appointment id"},
		{"book patient_id", authz.Admin, "POST", "/api/v1/appointments", book("patient_id", nul), "patient id"},
		{"book clinician_id", authz.Admin, "POST", "/api/v1/appointments", book("clinician_id", nul), "clinician id"},
		{"book starts_at", authz.Admin, "POST", "/api/v1/appointments", book("starts_at", y9999), "start"},
		{"reschedule starts_at", authz.Admin, "POST", "/api/v1/appointments/" + appt + "/reschedule", map[string]any{"starts_at": y9999}, "new start"},
		{"reschedule path", authz.Admin, "POST", "/api/v1/appointments/a%00b/reschedule", map[string]any{"starts_at": start}, "path.id"},
		{"cancel reason", authz.Admin, "POST", "/api/v1/appointments/" + appt + "/cancel", map[string]any{"reason": nul}, "reason"},
		{"cancel path", authz.Admin, "POST", "/api/v1/appointments/a%00b/cancel", map[string]any{"reason": "ill"}, "path.id"},
		{"complete worked_at", authz.Admin, "POST", "/api/v1/appointments/" + appt + "/complete", map[string]any{"worked_at": y9999}, "completed at"},
		{"complete path", authz.Admin, "POST", "/api/v1/appointments/a%00b/complete", map[string]any{}, "path.id"},
		{"form path", authz.Clinician, "POST", "/api/v1/appointments/a%00b/form", nil, "path.id"},
		{"get appointment path", authz.Admin, "GET", "/api/v1/appointments/a%00b", nil, "path.id"},
		{"clinician appointments path", authz.Admin, "GET", "/api/v1/clinicians/a%00b/appointments", nil, "path.clinicianID"},
		{"raise invoice_id", authz.Admin, "POST", "/api/v1/invoices", map[string]any{"invoice_id": nul, "patient_id": "p1"}, "invoice id"},
		{"raise invoice_id quote", authz.Admin, "POST", "/api/v1/invoices", map[string]any{"invoice_id": `a"b`, "patient_id": "p1"}, "invoice id"},
		{"raise invoice_id percent", authz.Admin, "POST", "/api/v1/invoices", map[string]any{"invoice_id": "a%b", "patient_id": "p1"}, "invoice id"},
		{"raise invoice_id semicolon", authz.Admin, "POST", "/api/v1/invoices", map[string]any{"invoice_id": "a;b", "patient_id": "p1"}, "invoice id"},
		{"raise invoice_id backslash", authz.Admin, "POST", "/api/v1/invoices", map[string]any{"invoice_id": `a\b`, "patient_id": "p1"}, "invoice id"},
		{"raise patient_id", authz.Admin, "POST", "/api/v1/invoices", map[string]any{"patient_id": nul}, "patient id"},
		{"item item_id", authz.Admin, "POST", "/api/v1/invoices/" + inv + "/items", item("item_id", nul), "item id"},
		{"item clinician_id", authz.Admin, "POST", "/api/v1/invoices/" + inv + "/items", item("clinician_id", nul), "clinician id"},
		{"item description", authz.Admin, "POST", "/api/v1/invoices/" + inv + "/items", item("description", nul), "description"},
		{"item path", authz.Admin, "POST", "/api/v1/invoices/a%00b/items", item("item_id", "i-9"), "path.id"},
		{"issue path", authz.Admin, "POST", "/api/v1/invoices/a%00b/issue", nil, "path.id"},
		{"payment payment_id", authz.Accounts, "POST", "/api/v1/invoices/" + issued + "/payments", map[string]any{"payment_id": nul, "amount": "1.00"}, "payment id"},
		{"payment path", authz.Accounts, "POST", "/api/v1/invoices/a%00b/payments", map[string]any{"payment_id": "pay-1", "amount": "1.00"}, "path.id"},
		{"void reason", authz.Admin, "POST", "/api/v1/invoices/" + inv + "/void", map[string]any{"reason": nul}, "reason"},
		{"void path", authz.Admin, "POST", "/api/v1/invoices/a%00b/void", map[string]any{"reason": "dup"}, "path.id"},
		{"list invoices patient_id", authz.Admin, "GET", "/api/v1/invoices?patient_id=a%00b", nil, "query.patient_id"},
		{"get invoice path", authz.Admin, "GET", "/api/v1/invoices/a%00b", nil, "path.id"},
		{"earnings path", authz.Admin, "GET", "/api/v1/clinicians/a%00b/earnings", nil, "path.clinicianID"},
		{"get payout path", authz.Admin, "GET", "/api/v1/payouts/a%00b", nil, "path.id"},
		{"payout payout_id", authz.Accounts, "POST", "/api/v1/payouts", map[string]any{"payout_id": nul, "cutoff": "2026-03-31"}, "payout id"},
		{"payout clinicians", authz.Accounts, "POST", "/api/v1/payouts", map[string]any{"payout_id": "run-x", "cutoff": "2026-03-31", "clinicians": []string{"c1", nul}}, "clinicians[1]"},
		{"payout cutoff", authz.Accounts, "POST", "/api/v1/payouts", map[string]any{"payout_id": "run-y", "cutoff": "9999-01-01"}, "cutoff"},
		{"ticket subject", authz.Patient, "POST", "/api/v1/tickets", ticketBody("subject", nul), "subject"},
		{"ticket body", authz.Patient, "POST", "/api/v1/tickets", ticketBody("body", nul), "body"},
		{"ticket ip", authz.Patient, "POST", "/api/v1/tickets", ticketBody("ip", nul), "ip"},
		{"reply body", authz.Patient, "POST", "/api/v1/tickets/" + tk + "/replies", map[string]any{"body": nul}, "body"},
		{"reply path", authz.Patient, "POST", "/api/v1/tickets/a%00b/replies", map[string]any{"body": "hello"}, "path.id"},
		{"note body", authz.SupportAgent, "POST", "/api/v1/tickets/" + tk + "/notes", map[string]any{"body": nul}, "body"},
		{"note path", authz.SupportAgent, "POST", "/api/v1/tickets/a%00b/notes", map[string]any{"body": "hello"}, "path.id"},
		{"status path", authz.SupportAgent, "POST", "/api/v1/tickets/a%00b/status", map[string]any{"status": "open"}, "path.id"},
		{"get ticket path", authz.Patient, "GET", "/api/v1/tickets/a%00b", nil, "path.id"},
		{"agent ticket path", authz.SupportAgent, "GET", "/api/v1/support/tickets/a%00b", nil, "path.id"},
		{"tick-off note", authz.Accounts, "POST", "/api/v1/v1/items/" + ref + "/tick-off", map[string]any{"note": nul}, "Note"},
		{"tick-off path", authz.Accounts, "POST", "/api/v1/v1/items/a%00b/tick-off", map[string]any{"note": "ok"}, "path.ref"},
		{"undo reason", authz.Accounts, "POST", "/api/v1/v1/items/" + ticked + "/undo-tick-off", map[string]any{"reason": nul}, "Reason"},
		{"undo path", authz.Accounts, "POST", "/api/v1/v1/items/a%00b/undo-tick-off", map[string]any{"reason": "mistake"}, "path.ref"},
	}
	for _, c := range cases {
		before := e.eventCount(t)
		res, b := e.do(c.role, c.method, c.path, c.body)
		p := decode[Problem](t, b)
		named := strings.Contains(p.Detail, "field "+c.field+":")
		for _, d := range p.Errors {
			named = named || strings.Contains(d.Location, c.field)
		}
		if (res.StatusCode != 400 && res.StatusCode != 422) || p.Type != TypeValidation || res.Header.Get("Content-Type") != "application/problem+json" || !named {
			t.Errorf("%s: %d %s, want a 400/422 validation problem naming field %q", c.name, res.StatusCode, b, c.field)
		}
		if after := e.eventCount(t); after != before {
			t.Errorf("%s: %d events appended by a refused request", c.name, after-before)
		}
	}
	e.checkContract(t)
}

// TestInputThatIsNotUTF8IsRefusedNotAlteredOr500: bytes that are not UTF-8 in a JSON body
// were quietly replaced by U+FFFD and stored; in an Idempotency-Key they answered 500.
func TestInputThatIsNotUTF8IsRefusedNotAlteredOr500(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, c := range []struct {
		name, body, key, field string
	}{
		{"body", "{\"patient_id\":\"p\xff\xfe\"}", "", "body"},
		{"idempotency key", `{"patient_id":"p1"}`, "k\xff", "header.Idempotency-Key"},
		{"idempotency key of continuation bytes", `{"patient_id":"p1"}`, "\x80\x80", "header.Idempotency-Key"},
	} {
		before := e.eventCount(t)
		req, err := http.NewRequest("POST", e.srv.URL+"/api/v1/invoices", strings.NewReader(c.body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+e.tokens[authz.Admin])
		if c.key != "" {
			req.Header.Set("Idempotency-Key", c.key)
		}
		res, err := e.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if p := decode[Problem](t, b); res.StatusCode != 400 || p.Type != TypeValidation || !strings.Contains(p.Detail, "field "+c.field+":") {
			t.Errorf("%s: %d %s, want a 400 validation problem naming %s", c.name, res.StatusCode, b, c.field)
		}
		if after := e.eventCount(t); after != before {
			t.Errorf("%s: %d events appended", c.name, after-before)
		}
	}
}
