package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"ledgerdesk/adapters/web/webtest"
	"ledgerdesk/commands"
	"ledgerdesk/commands/support"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/ticket"
	psupport "ledgerdesk/projections/support"
)

// blockedCase makes a portal account that blocks ip and a requester's blocked-IP ticket
// carrying it, both in their read models; it returns the account and the ticket.
func (e *env) blockedCase(t *testing.T, agentID, ip string) (portal, tid string) {
	t.Helper()
	ctx := context.Background()
	portal, err := e.svc.Register(ctx, support.Registration{Realm: account.RealmPortal, Role: account.RolePatient,
		Email: "jo.portal@example.co.uk", Name: "Jo Portal", Password: "portal passphrase long enough"},
		commands.Metadata{CommandID: commands.NewCommandID(), Actor: "cli:test"})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.BlockIP(ctx, portal, ip, commands.Metadata{CommandID: commands.NewCommandID(), Actor: agentID}); err != nil {
		t.Fatal(err)
	}
	requester, _, err := e.svc.LookupEmail(ctx, account.RealmSupport, testEmail)
	if err != nil {
		t.Fatal(err)
	}
	tid, err = e.svc.OpenTicket(ctx, support.NewTicket{Category: ticket.CategoryBlockedIP, Subject: "I cannot see the login screen", Body: "Blocked?", IP: ip},
		commands.Metadata{CommandID: commands.NewCommandID(), Actor: requester})
	if err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the ticket and the block in the read models", func() bool {
		_, terr := psupport.AgentTicketView(ctx, e.pool, tid, time.Time{})
		blocking, berr := psupport.AccountsBlockingIP(ctx, e.pool, ip)
		return terr == nil && berr == nil && len(blocking) == 1
	})
	return portal, tid
}

func TestInTheBrowserTheAgentUnblocksABlockedIPTicketsAddress(t *testing.T) {
	b := webtest.Start(t)
	e := newEnv(t)
	a := e.staffAgent(t, "Sam Agent", "sam@practice.example", true)
	_, tid := e.blockedCase(t, a.id, "203.0.113.78")
	for i, w := range webtest.Widths {
		ctx := b.Tab(t, w)
		if i == 0 {
			visit(t, ctx, e.srv.URL+"/staff/sign-in", "Staff sign-in")
			fill(t, ctx, map[string]string{"email": a.email, "password": staffPassword, "code": a.code(t)})
			submit(t, ctx, "Ticket queue")
		}
		visit(t, ctx, e.srv.URL+"/staff/tickets/"+tid, "I cannot see the login screen")
		if i == 0 {
			webtest.WaitFor(t, ctx, "the blocked-IP panel", `!!document.querySelector('.blocked-accounts')`)
			look(t, ctx, w, "staff-blocked-ip")
			click(t, ctx, `form[action$="/unblock"] button[type=submit]`)
			webtest.WaitFor(t, ctx, "the notice", `document.body.textContent.includes('The address is unblocked')`)
		}
		webtest.WaitFor(t, ctx, "no account blocks it now", `!!document.querySelector('#no-blocked-accounts')`)
		look(t, ctx, w, fmt.Sprintf("staff-blocked-ip-unblocked-%d", i))
	}
}

// A blocked-IP ticket shows the agent the address, the portal account that blocks it, and
// unblocks it in one action, recorded against the ticket.
func TestTheAgentSeesWhoBlocksATicketsAddressAndUnblocksItInOneAction(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a := e.staffAgent(t, "Sam Agent", "sam@practice.example", true)
	const ip = "203.0.113.77"
	portal, tid := e.blockedCase(t, a.id, ip)
	staff := e.staffClient(t, a)
	_, _, body := sget(t, staff, e.srv.URL+"/staff/tickets/"+tid)
	for _, want := range []string{"Blocked IP address " + ip, "Jo Portal", "jo.portal@example.co.uk", `name="account_id" value="` + portal + `"`} {
		if !strings.Contains(body, want) {
			t.Fatalf("the workspace lacks %q:\n%s", want, body)
		}
	}
	status, loc, _ := spost(t, staff, e.srv.URL+"/staff/tickets/"+tid+"/unblock", url.Values{"account_id": {portal}})
	if status != http.StatusSeeOther || !strings.Contains(loc, "done=unblocked") {
		t.Fatalf("unblocking: %d %s", status, loc)
	}
	_, _, body = sget(t, staff, e.srv.URL+loc)
	if !strings.Contains(body, "The address is unblocked") || !strings.Contains(body, `id="no-blocked-accounts"`) {
		t.Fatalf("after unblocking the page does not say so:\n%s", body)
	}
	st, err := e.svc.Account(ctx, portal)
	if err != nil {
		t.Fatal(err)
	}
	if _, still := st.BlockedIPs[ip]; still {
		t.Fatal("the portal account still blocks the address")
	}
	// Unblocking again, or an account that does not block it, writes nothing.
	before := e.events()
	if status, _, body := spost(t, staff, e.srv.URL+"/staff/tickets/"+tid+"/unblock", url.Values{"account_id": {portal}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="blocked-title-error"`) {
		t.Errorf("unblocking twice: %d, want 422 with a message beside the section", status)
	}
	if e.events() != before {
		t.Error("a refused unblock wrote something")
	}
	// A requester cannot use it.
	if status, _, _ := spost(t, e.requesterClient(t), e.srv.URL+"/staff/tickets/"+tid+"/unblock", url.Values{"account_id": {portal}}); status != http.StatusForbidden && status != http.StatusSeeOther {
		t.Errorf("a requester unblocking: %d", status)
	}
}
