package httpapi

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"testing"

	"ledgerdesk/app/authz"
)

// FuzzNoInputAnswers500 sends the API's commands and lookups strings the fuzzer makes up,
// in every string and time field of the JSON bodies and in the path: whatever they hold,
// the answer is never a 500 (bad input is a 4xx problem; the rest succeeds).
func FuzzNoInputAnswers500(f *testing.F) {
	e := newEnv(f, func(c *Config) { c.Limits = Limits{TicketCreate: Limit{Every: 0, Burst: 1}} })
	for _, s := range []string{"", "a\x00b", "9999-01-01T00:00:00Z", "1999-12-31T23:59:59Z", `a"b`, "a%b", "a;b", `a\b`, "%00", "\xff\xfe",
		"99999999999999999999999.99", "../../etc", "2026-03-04T10:00:00+25:00", "<script>", "\u202e", "p1", "c1"} {
		f.Add(uint8(0), s, "p1")
		f.Add(uint8(3), "c1", s)
	}
	f.Fuzz(func(t *testing.T, which uint8, s1, s2 string) {
		type req struct {
			role   authz.Role
			method string
			path   string
			body   any
		}
		seg := url.PathEscape(s1)
		reqs := []req{
			{authz.Admin, "POST", "/api/v1/appointments", map[string]any{"appointment_id": s1, "patient_id": s2, "clinician_id": "c1", "starts_at": "2026-03-04T10:00:00Z", "fee": "10.00"}},
			{authz.Admin, "POST", "/api/v1/appointments", map[string]any{"patient_id": "p1", "clinician_id": s1, "starts_at": s2, "fee": "10.00"}},
			{authz.Admin, "POST", "/api/v1/appointments/" + seg + "/cancel", map[string]any{"reason": s2}},
			{authz.Admin, "POST", "/api/v1/appointments/" + seg + "/complete", map[string]any{"worked_at": s2}},
			{authz.Admin, "POST", "/api/v1/invoices", map[string]any{"invoice_id": s1, "patient_id": s2}},
			{authz.Admin, "POST", "/api/v1/invoices/" + seg + "/items", map[string]any{"item_id": s2, "clinician_id": "c1", "description": s2, "amount": "1.00"}},
			{authz.Admin, "POST", "/api/v1/invoices/" + seg + "/void", map[string]any{"reason": s2}},
			{authz.Admin, "GET", "/api/v1/invoices?patient_id=" + url.QueryEscape(s1), nil},
			{authz.Admin, "GET", "/api/v1/invoices/" + seg, nil},
			{authz.Admin, "GET", "/api/v1/clinicians/" + seg + "/earnings", nil},
			{authz.Accounts, "POST", "/api/v1/payouts", map[string]any{"payout_id": s1, "cutoff": s2, "clinicians": []string{s2}}},
			{authz.Patient, "POST", "/api/v1/tickets", map[string]any{"category": "blocked_ip", "subject": s1, "body": s2, "ip": s2}},
			{authz.Patient, "POST", "/api/v1/tickets/" + seg + "/replies", map[string]any{"body": s2}},
			{authz.Patient, "GET", "/api/v1/tickets/" + seg, nil},
			{authz.Accounts, "POST", "/api/v1/v1/items/" + seg + "/tick-off", map[string]any{"note": s2}},
		}
		r := reqs[int(which)%len(reqs)]
		var body io.Reader
		if r.body != nil {
			b, _ := json.Marshal(r.body)
			if which >= 128 { // and raw bytes, not JSON's escaping of them
				b = []byte(`{"patient_id":"` + s1 + `","reason":"` + s2 + `"}`)
			}
			body = bytes.NewReader(b)
		}
		hr, err := http.NewRequest(r.method, e.srv.URL+r.path, body)
		if err != nil {
			return // not a request a client could send
		}
		hr.Header.Set("Content-Type", "application/json")
		hr.Header.Set("Authorization", "Bearer "+e.tokens[r.role])
		res, err := e.srv.Client().Do(hr)
		if err != nil {
			t.Fatal(err)
		}
		out, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode >= 500 {
			t.Fatalf("%s %s %q: %d %s", r.method, r.path, s2, res.StatusCode, out)
		}
	})
}
