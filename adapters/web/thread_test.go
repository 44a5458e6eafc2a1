package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"ledgerdesk/commands"
	"ledgerdesk/commands/support"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/ticket"
)

// openTicketOnTheWeb opens a ticket through the form and returns its id.
func (e *env) openTicketOnTheWeb(t testing.TB, c *http.Client, subject string) string {
	t.Helper()
	res, body := post(t, c, e.srv.URL+"/tickets/new", url.Values{"category": {"payments"}, "subject": {subject}, "body": {"Nothing is pending for 5 February."}})
	id, ok := strings.CutPrefix(res.Header.Get("Location"), "/tickets?opened=")
	if res.StatusCode != http.StatusSeeOther || !ok || id == "" {
		t.Fatalf("opening a ticket: %d %s", res.StatusCode, body)
	}
	return id
}

// threadUntil reads the ticket's page until it contains want (the read model catching up).
func (e *env) threadUntil(t testing.TB, c *http.Client, id, want string) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, body := get(t, c, e.srv.URL+"/tickets/"+id)
		if res.StatusCode == http.StatusOK && strings.Contains(body, want) {
			return body
		}
		if time.Now().After(deadline) {
			t.Fatalf("the ticket page never showed %q: %d %s", want, res.StatusCode, body)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestTheThreadShowsTheSupportTeamsPublicRepliesAndNeverAnInternalNote(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	e.signIn(t, c)
	id := e.openTicketOnTheWeb(t, c, "Missing payment")
	_, agent := e.agentToken(t)
	e.api(t, agent, http.MethodPost, "/api/v1/tickets/"+id+"/notes", `{"body":"INTERNAL: looks like a duplicate of another ticket"}`)
	e.api(t, agent, http.MethodPost, "/api/v1/tickets/"+id+"/replies", `{"body":"We have found the payment and released it."}`)
	e.api(t, agent, http.MethodPost, "/api/v1/tickets/"+id+"/status", `{"status":"pending"}`)
	body := e.threadUntil(t, c, id, "Waiting for your reply")
	for _, want := range []string{"Missing payment", "Nothing is pending for 5 February.", "The support team replied", "We have found the payment and released it.", `action="/tickets/` + id + `/reply"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the thread lacks %q", want)
		}
	}
	if strings.Contains(body, "INTERNAL") || strings.Contains(body, "duplicate") {
		t.Errorf("the requester's thread shows an internal note:\n%s", body)
	}
	// My tickets links to the thread.
	if _, list := get(t, c, e.srv.URL+"/tickets"); !strings.Contains(list, `href="/tickets/`+id+`"`) {
		t.Errorf("My tickets does not link to the ticket: %s", list)
	}
}

func TestTheRequestersReplyShowsOnTheThreadAndAnEmptyOneIsRefusedBesideTheField(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	e.signIn(t, c)
	id := e.openTicketOnTheWeb(t, c, "Missing payment")
	e.threadUntil(t, c, id, "Missing payment")

	before := e.events()
	res, body := post(t, c, e.srv.URL+"/tickets/"+id+"/reply", url.Values{"body": {"   "}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="reply-error"`) || !strings.Contains(body, "Enter a reply.") {
		t.Fatalf("an empty reply: %d %s", res.StatusCode, body)
	}
	if after := e.events(); after != before {
		t.Errorf("a refused reply appended %d events", after-before)
	}

	res, body = post(t, c, e.srv.URL+"/tickets/"+id+"/reply", url.Values{"body": {"It is 250.00 for the consultation."}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/tickets/"+id+"?replies=1" {
		t.Fatalf("a reply: %d %s", res.StatusCode, body)
	}
	res, body = get(t, c, e.srv.URL+res.Header.Get("Location"))
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "It is 250.00 for the consultation.") || !strings.Contains(body, "Your reply has been sent") {
		t.Fatalf("the thread after replying: %d %s", res.StatusCode, body)
	}
}

func TestAnotherRequestersTicketIsNotFound(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	e.signIn(t, c)
	id := e.openTicketOnTheWeb(t, c, "Missing payment")
	e.threadUntil(t, c, id, "Missing payment")
	if _, err := e.svc.Register(context.Background(), support.Registration{Realm: account.RealmSupport, Role: account.RoleRequester,
		Email: "someone.else@example.co.uk", Name: "Someone Else", Password: testPassword}, commands.Metadata{CommandID: commands.NewCommandID()}); err != nil {
		t.Fatal(err)
	}
	other := e.client()
	if res, body := post(t, other, e.srv.URL+"/sign-in", url.Values{"email": {"someone.else@example.co.uk"}, "password": {testPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: %d %s", res.StatusCode, body)
	}
	if res, body := get(t, other, e.srv.URL+"/tickets/"+id); res.StatusCode != http.StatusNotFound || strings.Contains(body, "Missing payment") {
		t.Errorf("another's ticket: %d %s", res.StatusCode, body)
	}
	before := e.events()
	if res, _ := post(t, other, e.srv.URL+"/tickets/"+id+"/reply", url.Values{"body": {"Let me in"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("a reply on another's ticket: %d", res.StatusCode)
	}
	if after := e.events(); after != before {
		t.Errorf("a reply on another's ticket appended %d events", after-before)
	}
}

func TestASolvedTicketReopensWithAReplyWithinSevenDaysAndNotAfter(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	e.signIn(t, c)
	_, agent := e.agentToken(t)
	soon := e.openTicketOnTheWeb(t, c, "Solved but not really")
	late := e.openTicketOnTheWeb(t, c, "Solved long ago")
	for _, id := range []string{soon, late} {
		e.api(t, agent, http.MethodPost, "/api/v1/tickets/"+id+"/status", `{"status":"solved"}`)
		e.threadUntil(t, c, id, "Reopen ticket and send reply")
	}

	// Within the window: the reply reopens it.
	if res, body := post(t, c, e.srv.URL+"/tickets/"+soon+"/reply", url.Values{"body": {"Still nothing has arrived."}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reopening: %d %s", res.StatusCode, body)
	}
	if body := e.threadUntil(t, c, soon, "Still nothing has arrived."); !strings.Contains(body, `status-open">Open<`) {
		t.Errorf("after the reply the ticket is not open:\n%s", body)
	}

	// Eight days on: no form, the page says why, and a reply sent anyway is refused.
	e.clock.Advance(ticket.ReopenWindow + 24*time.Hour)
	body := e.threadUntil(t, c, late, "more than 7 days ago")
	if strings.Contains(body, `action="/tickets/`+late+`/reply"`) {
		t.Errorf("the reply form is offered on a ticket solved 8 days ago")
	}
	before := e.events()
	res, body := post(t, c, e.srv.URL+"/tickets/"+late+"/reply", url.Values{"body": {"Please reopen"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="reply-error"`) || !strings.Contains(body, "cannot be reopened") || !strings.Contains(body, "Please reopen") {
		t.Errorf("a late reopen: %d %s", res.StatusCode, body)
	}
	if after := e.events(); after != before {
		t.Errorf("a refused reopen appended %d events", after-before)
	}
}
