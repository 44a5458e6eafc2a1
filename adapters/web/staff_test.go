package web

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"ledgerdesk/app/authz"
	"ledgerdesk/commands"
	"ledgerdesk/commands/support"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/ticket"
	psupport "ledgerdesk/projections/support"
)

const staffPassword = "staff only, never the same twice"

// staffAgent is a support-site agent's account, with two-factor set up when twoFactor.
type staffAgent struct {
	id, email, name string
	secret          string
	// step is the last 30-second step whose code was used: each code works once.
	step int64
}

func (e *env) staffAgent(t *testing.T, name, email string, twoFactor bool) *staffAgent {
	t.Helper()
	ctx := context.Background()
	id, err := e.svc.Register(ctx, support.Registration{Realm: account.RealmSupport, Role: account.RoleAgent, Email: email, Name: name, Password: staffPassword},
		commands.Metadata{CommandID: commands.NewCommandID(), Actor: "cli:test"})
	if err != nil {
		t.Fatalf("registering %s: %v", name, err)
	}
	a := &staffAgent{id: id, email: email, name: name}
	if twoFactor {
		meta := commands.Metadata{CommandID: commands.NewCommandID(), Actor: id}
		enrol, err := e.svc.BeginTwoFactor(ctx, id, meta)
		if err != nil {
			t.Fatal(err)
		}
		a.secret = enrol.Secret
		// Confirm with the previous step's code, so the current one is left for signing in.
		a.step = time.Now().Unix()/30 - 2
		if err := e.svc.ConfirmTwoFactor(ctx, id, enrol.SecretRef, a.code(t), meta); err != nil {
			t.Fatalf("confirming two-factor: %v", err)
		}
	}
	e.waitForAgent(t, id)
	return a
}

// code is the authenticator code for the next step not yet used (at most one ahead of
// now, which the service still accepts).
func (a *staffAgent) code(t *testing.T) string {
	t.Helper()
	a.step = max(a.step+1, time.Now().Unix()/30-1)
	c, err := totp.GenerateCode(a.secret, time.Unix(a.step*30, 0))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// waitForAgent waits until the accounts read model lists the agent (the assign-to list).
func (e *env) waitForAgent(t *testing.T, id string) {
	t.Helper()
	waitUntil(t, "the agent in the accounts read model", func() bool {
		as, err := psupport.Agents(context.Background(), e.pool)
		if err != nil {
			return false
		}
		for _, a := range as {
			if a.AccountID == id {
				return true
			}
		}
		return false
	})
}

func waitUntil(t testing.TB, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// post sends a form and returns the status, the Location and the body.
func spost(t *testing.T, c *http.Client, u string, form url.Values) (int, string, string) {
	t.Helper()
	res, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Location"), string(b)
}

func sget(t *testing.T, c *http.Client, u string) (int, string, string) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Location"), string(b)
}

// staffClient signs the agent in on the staff sign-in page.
func (e *env) staffClient(t *testing.T, a *staffAgent) *http.Client {
	t.Helper()
	c := e.client()
	status, loc, body := spost(t, c, e.srv.URL+"/staff/sign-in", url.Values{"email": {a.email}, "password": {staffPassword}, "code": {a.code(t)}, "role": {"support_agent"}})
	if status != http.StatusSeeOther || loc != "/staff/queue" {
		t.Fatalf("staff sign-in: %d to %q: %s", status, loc, body)
	}
	return c
}

func (e *env) requesterClient(t *testing.T) *http.Client {
	t.Helper()
	c := e.client()
	if status, _, body := spost(t, c, e.srv.URL+"/sign-in", url.Values{"email": {testEmail}, "password": {testPassword}}); status != http.StatusSeeOther {
		t.Fatalf("requester sign-in: %d %s", status, body)
	}
	return c
}

// requesterTicket opens a ticket as the fixture's requester and waits for the read model.
func (e *env) requesterTicket(t *testing.T, subject string) string {
	t.Helper()
	ctx := context.Background()
	id, found, err := e.svc.LookupEmail(ctx, account.RealmSupport, testEmail)
	if err != nil || !found {
		t.Fatalf("the requester: %v", err)
	}
	tid, err := e.svc.OpenTicket(ctx, support.NewTicket{Category: ticket.CategoryPayments, Subject: subject, Body: "My payment for 5 February has not arrived."},
		commands.Metadata{CommandID: commands.NewCommandID(), Actor: id})
	if err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the ticket in the read model", func() bool {
		_, err := psupport.AgentTicketView(ctx, e.pool, tid, time.Time{})
		return err == nil
	})
	return tid
}

func TestStaffSignInNeedsPasswordAndAuthenticatorCode(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.staffAgent(t, "Sam Agent", "sam@practice.example", true)
	c := e.client()
	// Not signed in: the staff pages send you to the staff sign-in.
	if status, loc, _ := sget(t, c, e.srv.URL+"/staff/queue"); status != http.StatusSeeOther || loc != "/staff/sign-in" {
		t.Fatalf("queue before sign-in: %d to %q", status, loc)
	}
	for _, tc := range []struct {
		name, code string
		status     int
		message    string
	}{
		{"no code", "", http.StatusUnprocessableEntity, "staff always sign in with one"},
		{"not six digits", "12ab", http.StatusUnprocessableEntity, "the six digits your app shows"},
		{"a wrong code", wrongCode(a), http.StatusUnauthorized, "The code from the authenticator app is not right"},
	} {
		status, _, body := spost(t, c, e.srv.URL+"/staff/sign-in", url.Values{"email": {a.email}, "password": {staffPassword}, "code": {tc.code}, "role": {"support_agent"}})
		if status != tc.status || !strings.Contains(body, `id="code-error"`) || !strings.Contains(body, tc.message) {
			t.Errorf("%s: %d, want %d with %q beside the code", tc.name, status, tc.status, tc.message)
		}
		// What was typed stays; the password does not come back.
		if !strings.Contains(body, `value="sam@practice.example"`) || strings.Contains(body, staffPassword) {
			t.Errorf("%s: the form did not keep the email, or sent the password back", tc.name)
		}
		if status, _, _ := sget(t, c, e.srv.URL+"/staff/queue"); status != http.StatusSeeOther {
			t.Errorf("%s: the queue answered %d: a refused sign-in started a session", tc.name, status)
		}
	}
	status, _, body := spost(t, c, e.srv.URL+"/staff/sign-in", url.Values{"email": {a.email}, "password": {staffPassword}, "code": {"123456"}, "role": {"admin"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="role-support_agent-error"`) {
		t.Errorf("a role staff cannot sign in as: %d", status)
	}
	c = e.staffClient(t, a)
	if status, _, body := sget(t, c, e.srv.URL+"/staff/queue"); status != http.StatusOK || !strings.Contains(body, "<h1>Ticket queue</h1>") {
		t.Fatalf("queue after sign-in: %d", status)
	}
	// IT support signs in from the same account and form, and the API sees the session
	// in that role.
	it := e.client()
	status, loc, _ := spost(t, it, e.srv.URL+"/staff/sign-in", url.Values{"email": {a.email}, "password": {staffPassword}, "code": {a.code(t)}, "role": {"it_support"}})
	if status != http.StatusSeeOther || loc != "/staff/queue" {
		t.Fatalf("IT support sign-in: %d %q", status, loc)
	}
	if _, _, me := sget(t, it, e.srv.URL+"/api/v1/me"); !strings.Contains(me, `"role":"it_support"`) || !strings.Contains(me, a.id) {
		t.Errorf("the API sees %s", me)
	}
	// A code is used once: the same one again is refused.
	a.step--
	status, _, body = spost(t, e.client(), e.srv.URL+"/staff/sign-in", url.Values{"email": {a.email}, "password": {staffPassword}, "code": {a.code(t)}, "role": {"it_support"}})
	if status != http.StatusUnauthorized || !strings.Contains(body, `id="code-error"`) {
		t.Errorf("a code used twice: %d", status)
	}
}

// wrongCode is a six-digit code that is none of the three the service accepts now.
func wrongCode(a *staffAgent) string {
	now := time.Now()
	for _, c := range []string{"000000", "111111", "222222"} {
		ok := false
		for _, d := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
			if v, _ := totp.GenerateCode(a.secret, now.Add(d)); v == c {
				ok = true
			}
		}
		if !ok {
			return c
		}
	}
	return "333333"
}

func TestAStaffAccountWithoutTwoFactorGetsNoStaffSession(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.staffAgent(t, "Nell Nofactor", "nell@practice.example", false)
	tid := e.requesterTicket(t, "Where is my payment?")
	c := e.client()
	status, _, body := spost(t, c, e.srv.URL+"/staff/sign-in", url.Values{"email": {a.email}, "password": {staffPassword}, "code": {"123456"}, "role": {"it_support"}})
	if status != http.StatusForbidden || !strings.Contains(body, "has no two-factor authentication set up") {
		t.Errorf("staff sign-in without two-factor: %d", status)
	}
	// Nor through the support centre's own sign-in page.
	status, _, body = spost(t, c, e.srv.URL+"/sign-in", url.Values{"email": {a.email}, "password": {staffPassword}})
	if status != http.StatusForbidden || !strings.Contains(body, "has no two-factor authentication set up") {
		t.Errorf("support centre sign-in of an agent without two-factor: %d", status)
	}
	if status, _, _ := sget(t, c, e.srv.URL+"/staff/queue"); status != http.StatusSeeOther {
		t.Errorf("the queue answered %d after refused sign-ins", status)
	}
	// A session that exists anyway (two-factor turned off after signing in) reaches no
	// staff page and changes nothing: the application layer checks on every page.
	cookie, err := e.site.cfg.Sessions.Start(context.Background(), authz.Actor{Subject: a.id, Role: authz.SupportAgent})
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(e.srv.URL)
	c.Jar.SetCookies(u, []*http.Cookie{cookie})
	before := e.events()
	for _, path := range []string{"/staff/queue", "/staff/tickets/" + tid} {
		if status, _, body := sget(t, c, e.srv.URL+path); status != http.StatusForbidden || !strings.Contains(body, "Two-factor authentication is required for staff") {
			t.Errorf("%s without two-factor: %d", path, status)
		}
	}
	if status, _, _ := spost(t, c, e.srv.URL+"/staff/tickets/"+tid+"/note", url.Values{"body": {"sneaky"}}); status != http.StatusForbidden {
		t.Errorf("a note without two-factor: %d", status)
	}
	if after := e.events(); after != before {
		t.Errorf("refused staff requests wrote %d events", after-before)
	}
}

func TestARequesterCannotReachStaffPagesOrEndpoints(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.staffAgent(t, "Sam Agent", "sam@practice.example", true)
	tid := e.requesterTicket(t, "Where is my payment?")
	c := e.requesterClient(t)
	before := e.events()
	for _, path := range []string{"/staff/queue", "/staff/queue?fragment=1", "/staff/tickets/" + tid} {
		if status, _, body := sget(t, c, e.srv.URL+path); status != http.StatusForbidden || !strings.Contains(body, "These pages are for support staff") {
			t.Errorf("%s as the requester: %d", path, status)
		}
	}
	for _, action := range []string{"note", "reply", "assign", "priority", "status"} {
		if status, _, _ := spost(t, c, e.srv.URL+"/staff/tickets/"+tid+"/"+action, url.Values{"body": {"x"}, "agent_id": {"me"}, "priority": {"urgent"}, "status": {"open"}}); status != http.StatusForbidden {
			t.Errorf("POST %s as the requester: %d", action, status)
		}
	}
	if status, _, _ := spost(t, c, e.srv.URL+"/staff/tickets/"+tid+"/assign", url.Values{"agent_id": {"me"}, "back": {"queue"}}); status != http.StatusForbidden {
		t.Errorf("assign to me as the requester: %d", status)
	}
	// The same session on the API's staff endpoints.
	for _, r := range []struct{ method, path, body string }{
		{"GET", "/api/v1/support/queue", ""},
		{"GET", "/api/v1/support/tickets/" + tid, ""},
		{"GET", "/api/v1/support/tickets/" + tid + "/timeline", ""},
		{"GET", "/api/v1/support/agents", ""},
		{"POST", "/api/v1/support/tickets/" + tid + "/assignment", `{"agent_id":"x"}`},
		{"POST", "/api/v1/support/tickets/" + tid + "/priority", `{"priority":"urgent"}`},
	} {
		req, _ := http.NewRequest(r.method, e.srv.URL+r.path, strings.NewReader(r.body))
		if r.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		req.Header.Set("Origin", e.srv.URL)
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("%s %s as the requester: %d", r.method, r.path, res.StatusCode)
		}
	}
	// A requester's password and any code at the staff sign-in: not a staff account.
	status, _, body := spost(t, e.client(), e.srv.URL+"/staff/sign-in", url.Values{"email": {testEmail}, "password": {testPassword}, "code": {"123456"}, "role": {"support_agent"}})
	if status != http.StatusForbidden || !strings.Contains(body, "This is not a staff account") {
		t.Errorf("requester at the staff sign-in: %d", status)
	}
	if after := e.events(); after != before {
		t.Errorf("refused requests wrote %d events", after-before)
	}
}

func TestAnInternalNoteNeverReachesTheRequestersPageOrAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.staffAgent(t, "Sam Agent", "sam@practice.example", true)
	tid := e.requesterTicket(t, "Where is my payment?")
	staff := e.staffClient(t, a)
	const note, reply = "Requester sounds upset: check the February bank file first", "We are looking into your payment now."
	if status, loc, body := spost(t, staff, e.srv.URL+"/staff/tickets/"+tid+"/note", url.Values{"body": {note}}); status != http.StatusSeeOther || !strings.Contains(loc, "done=noted") {
		t.Fatalf("note: %d %q %s", status, loc, body)
	}
	if status, _, body := spost(t, staff, e.srv.URL+"/staff/tickets/"+tid+"/reply", url.Values{"body": {reply}}); status != http.StatusSeeOther {
		t.Fatalf("reply: %d %s", status, body)
	}
	_, _, page := sget(t, staff, e.srv.URL+"/staff/tickets/"+tid)
	if !strings.Contains(page, "Jo Bloggs ("+testEmail+")") {
		t.Errorf("the workspace does not say who the requester is")
	}
	if !strings.Contains(page, note) || !strings.Contains(page, "Internal note — not visible to the requester") || !strings.Contains(page, "Public reply — sent to the requester") {
		t.Fatalf("the workspace does not show the note as internal and the reply as public")
	}
	waitUntil(t, "the reply in the requester's view", func() bool {
		id, _, _ := e.svc.LookupEmail(context.Background(), account.RealmSupport, testEmail)
		v, err := psupport.RequesterTicketView(context.Background(), e.pool, id, tid)
		return err == nil && len(v.Replies) == 1
	})
	requester := e.requesterClient(t)
	for _, path := range []string{"/tickets", "/api/v1/tickets", "/api/v1/tickets/" + tid} {
		status, _, body := sget(t, requester, e.srv.URL+path)
		if status != http.StatusOK {
			t.Fatalf("%s as the requester: %d %s", path, status, body)
		}
		if strings.Contains(body, "February bank file") || strings.Contains(body, a.id) {
			t.Errorf("%s shows the requester the internal note or the agent: %s", path, body)
		}
		if strings.HasPrefix(path, "/api/v1/tickets/") && !strings.Contains(body, reply) {
			t.Errorf("%s lacks the public reply: %s", path, body)
		}
	}
}

func TestARefusedStaffFormKeepsTheInputAndWritesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.staffAgent(t, "Sam Agent", "sam@practice.example", true)
	tid := e.requesterTicket(t, "Where is my payment?")
	staff := e.staffClient(t, a)
	long := strings.Repeat("x", ticket.MaxBodyLength+1)
	before := e.events()
	for _, tc := range []struct {
		action string
		form   url.Values
		field  string
		kept   string
	}{
		{"reply", url.Values{"body": {"   "}}, "reply-body", ""},
		{"note", url.Values{"body": {long}}, "note-body", long},
		{"priority", url.Values{"priority": {"whenever"}}, "priority", ""},
		// new → closed is not in the domain's transitions.
		{"status", url.Values{"status": {"closed"}}, "status", ""},
		{"assign", url.Values{"agent_id": {"no-such-agent"}}, "agent", ""},
	} {
		status, _, body := spost(t, staff, e.srv.URL+"/staff/tickets/"+tid+"/"+tc.action, tc.form)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="`+tc.field+`-error"`) {
			t.Errorf("%s %v: %d, want 422 with a message beside %s", tc.action, tc.form, status, tc.field)
			continue
		}
		if tc.action == "reply" && !strings.Contains(body, "Enter a reply.") {
			t.Errorf("an empty reply: no plain message beside it")
		}
		if tc.kept != "" && !strings.Contains(body, tc.kept) {
			t.Errorf("%s: the refused form lost what was typed", tc.action)
		}
	}
	if _, _, body := spost(t, staff, e.srv.URL+"/staff/tickets/"+tid+"/note", url.Values{"body": {""}}); !strings.Contains(body, "Enter an internal note.") {
		t.Errorf("an empty note: no plain message beside it")
	}
	// The queue's filters are checked the same way.
	if status, _, body := sget(t, staff, e.srv.URL+"/staff/queue?status=lost&priority=urgent"); status != http.StatusUnprocessableEntity ||
		!strings.Contains(body, `id="status-error"`) || !strings.Contains(body, `<option value="urgent" selected>`) {
		t.Errorf("a bad status filter: %d", status)
	}
	if after := e.events(); after != before {
		t.Errorf("refused forms wrote %d events", after-before)
	}
}

func TestTheQueueFiltersAndShowsTheMostUrgentFirst(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.staffAgent(t, "Sam Agent", "sam@practice.example", true)
	b := e.staffAgent(t, "Bea Other", "bea@practice.example", true)
	first := e.requesterTicket(t, "First opened, normal priority")
	urgent := e.requesterTicket(t, "Second opened, made urgent")
	staff := e.staffClient(t, a)
	if status, _, body := spost(t, staff, e.srv.URL+"/staff/tickets/"+urgent+"/priority", url.Values{"priority": {"urgent"}}); status != http.StatusSeeOther {
		t.Fatalf("priority: %d %s", status, body)
	}
	if status, loc, _ := spost(t, staff, e.srv.URL+"/staff/tickets/"+first+"/assign", url.Values{"agent_id": {"me"}, "back": {"queue"}}); status != http.StatusSeeOther || loc != "/staff/queue?done=assigned" {
		t.Fatalf("assign to me from the queue: %d %q", status, loc)
	}
	if status, _, body := spost(t, staff, e.srv.URL+"/staff/tickets/"+urgent+"/assign", url.Values{"agent_id": {b.id}}); status != http.StatusSeeOther {
		t.Fatalf("assign to Bea: %d %s", status, body)
	}
	rows := func(query string) []string {
		t.Helper()
		status, _, body := sget(t, staff, e.srv.URL+"/staff/queue?"+query)
		if status != http.StatusOK {
			t.Fatalf("queue %s: %d", query, status)
		}
		var ids []string
		for _, part := range strings.Split(body, `data-ticket="`)[1:] {
			ids = append(ids, part[:strings.Index(part, `"`)])
		}
		return ids
	}
	waitUntil(t, "Bea's assignment in the queue", func() bool { got := rows("assignee=" + b.id); return len(got) == 1 && got[0] == urgent })
	if got := rows(""); len(got) != 2 || got[0] != urgent || got[1] != first {
		t.Errorf("queue %v, want the urgent %s before the older %s", got, urgent, first)
	}
	for q, want := range map[string][]string{
		"assignee=me":                 {first},
		"assignee=none":               nil,
		"priority=urgent":             {urgent},
		"priority=low":                nil,
		"category=payments":           {urgent, first},
		"category=blocked_ip":         nil,
		"status=new":                  {urgent, first},
		"status=solved":               nil,
		"age=1h":                      nil,
		"status=new&age=":             {urgent, first},
		"priority=normal&assignee=me": {first},
	} {
		if got := rows(q); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("queue?%s = %v, want %v", q, got, want)
		}
	}
	// The fragment htmx polls is the table alone, with the same filters.
	_, _, frag := sget(t, staff, e.srv.URL+"/staff/queue?priority=urgent&fragment=1")
	if strings.Contains(frag, "<html") || !strings.Contains(frag, `id="queue"`) || !strings.Contains(frag, `hx-get="/staff/queue?priority=urgent"`) || !strings.Contains(frag, urgent) || strings.Contains(frag, first) {
		t.Errorf("fragment:\n%s", frag)
	}
}

func TestTheQueuePollSendsAnExpiredSessionToSignInAsAWholePage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/staff/queue?fragment=1", nil)
	req.Header.Set("HX-Request", "true")
	res, err := e.client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNoContent || res.Header.Get("HX-Redirect") != "/staff/sign-in" {
		t.Errorf("poll without a session: %d, HX-Redirect %q", res.StatusCode, res.Header.Get("HX-Redirect"))
	}
}
