package httpapi

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"ledgerdesk/app/authz"
	"ledgerdesk/commands"
	"ledgerdesk/commands/support"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/domain/ticket"
	"ledgerdesk/domain/v1item"
	psupport "ledgerdesk/projections/support"
	"ledgerdesk/projections/v1recon"
)

// v1Item imports a fresh pending V1 item for c1 and returns its reference.
func (e *env) v1Item(t *testing.T) string {
	t.Helper()
	ref := "V1-" + uuid.NewString()[:8]
	exec(t, e, v1item.Decider, v1item.StreamID(ref), v1item.Command(v1item.Import{
		Figures: v1item.Figures{Reference: ref, ClinicianID: "c1", ClinicianName: "Dr One", PatientReference: "P-1",
			WorkDate: ledger.DateOf(start.AddDate(0, -2, 0)), Description: "consultation", Amount: money.GBP("120.00"), Status: v1item.StatusPending},
		GoLive: ledger.DateOf(start.AddDate(0, -1, 0)), ImportedBy: "fixture", At: start, SourceFile: "v1.csv", SourceLine: 2}))
	return ref
}

// tickedV1Item is a V1 item already ticked off.
func (e *env) tickedV1Item(t *testing.T) string {
	t.Helper()
	ref := e.v1Item(t)
	exec(t, e, v1item.Decider, v1item.StreamID(ref), v1item.Command(v1item.TickOff{By: "fixture", At: start}))
	return ref
}

// openTicket opens a ticket as requester (a support account id) through the service.
func (e *env) openTicket(t *testing.T, requester string) string {
	t.Helper()
	id, err := e.svc.OpenTicket(context.Background(), support.NewTicket{Category: ticket.CategoryPayments, Subject: "Where is my refund?", Body: "Paid twice in March."},
		commands.Metadata{CommandID: commands.NewCommandID(), Actor: requester})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// projectedTicket opens a ticket and waits until the read model has it.
func (e *env) projectedTicket(t *testing.T, requester string) string {
	t.Helper()
	id := e.openTicket(t, requester)
	waitFor(t, "the ticket read model", func() bool {
		_, err := psupport.RequesterTicketView(context.Background(), e.pool, requester, id)
		return err == nil
	})
	return id
}

func TestInternalNotesNeverReachTheRequester(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	res, body := e.do(authz.Patient, "POST", "/api/v1/tickets", map[string]any{"category": "payments", "subject": "Refund", "body": "Charged twice"})
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("open: %d %s", res.StatusCode, body)
	}
	id := decode[TicketCommandResult](t, body).TicketID
	const secret = "requester sounds upset; check the bank file"
	if res, body := e.do(authz.SupportAgent, "POST", "/api/v1/tickets/"+id+"/notes", map[string]any{"body": secret}); res.StatusCode != 200 {
		t.Fatalf("note: %d %s", res.StatusCode, body)
	}
	if res, body := e.do(authz.SupportAgent, "POST", "/api/v1/tickets/"+id+"/replies", map[string]any{"body": "We are looking into it."}); res.StatusCode != 200 {
		t.Fatalf("reply: %d %s", res.StatusCode, body)
	}
	waitFor(t, "the note and reply in the read model", func() bool {
		v, err := psupport.AgentTicketView(context.Background(), e.pool, id, time.Time{})
		return err == nil && len(v.Notes) == 1 && len(v.Replies) == 1
	})
	_, agentView := e.do(authz.SupportAgent, "GET", "/api/v1/support/tickets/"+id, nil)
	if !strings.Contains(string(agentView), secret) {
		t.Fatalf("agent view lacks the note: %s", agentView)
	}
	for _, path := range []string{"/api/v1/tickets/" + id, "/api/v1/tickets"} {
		res, b := e.do(authz.Patient, "GET", path, nil)
		if res.StatusCode != 200 || strings.Contains(string(b), secret) || strings.Contains(string(b), "support_agent-1") {
			t.Fatalf("%s as the requester: %d, leaks the note or the agent: %s", path, res.StatusCode, b)
		}
	}
	v := decode[psupport.RequesterTicket](t, func() []byte { _, b := e.do(authz.Patient, "GET", "/api/v1/tickets/"+id, nil); return b }())
	if len(v.Replies) != 1 || !v.Replies[0].FromSupport {
		t.Fatalf("requester view replies = %+v, want the agent's public reply", v.Replies)
	}
	// Another requester cannot tell the ticket exists.
	if res, b := e.do(authz.Clinician, "GET", "/api/v1/tickets/"+id, nil); res.StatusCode != http.StatusNotFound {
		t.Fatalf("someone else's ticket: %d %s", res.StatusCode, b)
	}
	e.checkContract(t)
}

func TestTicketCreationIsRateLimitedPerAccount(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *Config) { c.Limits = Limits{TicketCreate: Limit{Every: time.Hour, Burst: 2}} })
	open := func(r authz.Role) (*http.Response, []byte) {
		return e.do(r, "POST", "/api/v1/tickets", map[string]any{"category": "other", "subject": "Help", "body": "Please"})
	}
	for i := range 2 {
		if res, b := open(authz.Patient); res.StatusCode != http.StatusCreated {
			t.Fatalf("ticket %d: %d %s", i+1, res.StatusCode, b)
		}
	}
	res, b := open(authz.Patient)
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Fatalf("third ticket: %d Retry-After %q: %s", res.StatusCode, res.Header.Get("Retry-After"), b)
	}
	if p := decode[Problem](t, b); p.Type != TypeRateLimited {
		t.Fatalf("problem type %q", p.Type)
	}
	// Another account from the same address has a quota of its own (issue 12: everyone
	// behind one address shared the per-IP limit).
	if res, b := open(authz.Clinician); res.StatusCode != http.StatusCreated {
		t.Fatalf("same IP, other account: %d %s", res.StatusCode, b)
	}
	e.checkContract(t)
}

func TestTickingOffAV1ItemTakesItOutOfTheOutstandingReport(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	ref := e.v1Item(t)
	outstanding := func() []string {
		_, b := e.do(authz.Accounts, "GET", "/api/v1/v1/report", nil)
		var refs []string
		for _, it := range decode[v1recon.Report](t, b).Outstanding {
			refs = append(refs, it.Reference)
		}
		return refs
	}
	waitFor(t, "the item in the report", func() bool { return len(outstanding()) == 1 })
	res, b := e.do(authz.Accounts, "POST", "/api/v1/v1/items/"+ref+"/tick-off", map[string]any{"note": "paid by BACS 3 March"})
	if res.StatusCode != 200 {
		t.Fatalf("tick off: %d %s", res.StatusCode, b)
	}
	if r := decode[V1TickResult](t, b); r.By != subjectOf(authz.Accounts) || r.Event != "v1item.ticked_off.v1" {
		t.Fatalf("tick result %+v", r)
	}
	waitFor(t, "the tick in the report", func() bool { return len(outstanding()) == 0 })
	if res, b := e.do(authz.Accounts, "POST", "/api/v1/v1/items/"+ref+"/tick-off", map[string]any{}); res.StatusCode != http.StatusConflict {
		t.Fatalf("second tick: %d %s", res.StatusCode, b)
	}
	if res, b := e.do(authz.Auditor, "POST", "/api/v1/v1/items/"+ref+"/undo-tick-off", map[string]any{"reason": "audit"}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("auditor undo: %d %s", res.StatusCode, b)
	}
	if res, b := e.do(authz.Accounts, "POST", "/api/v1/v1/items/"+ref+"/undo-tick-off", map[string]any{"reason": "wrong item"}); res.StatusCode != 200 {
		t.Fatalf("undo: %d %s", res.StatusCode, b)
	}
	waitFor(t, "the undo in the report", func() bool { return len(outstanding()) == 1 })
	if res, b := e.do(authz.Accounts, "POST", "/api/v1/v1/items/NO-SUCH/tick-off", map[string]any{}); res.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown reference: %d %s", res.StatusCode, b)
	}
	e.checkContract(t)
}
