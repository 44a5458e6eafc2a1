package support_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"ledgerdesk/projector"

	support "ledgerdesk/commands/support"
	"ledgerdesk/commands/support/supporttest"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/contact"
	"ledgerdesk/domain/ticket"
	"ledgerdesk/projections"
	readmodel "ledgerdesk/projections/support"
)

var ctx = context.Background()

const pw = "correct horse battery staple"

// catchUp replays the whole history into both read models' live schemas. A replay reads
// only what no running transaction can still precede, and transactions of other tests on
// the same server hold that back for a moment, so it replays until nothing is left over.
func catchUp(t *testing.T, env *supporttest.Env) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for _, p := range []projections.Projection{readmodel.NewTickets(env.Codec), readmodel.NewAccounts(env.Codec)} {
		for {
			pos, skipped, err := projector.Replay(ctx, env.Pool, env.Store, p, projections.Schema(p.Name()), nil)
			if err != nil || len(skipped) > 0 {
				t.Fatalf("replaying %s: %v, skipped %+v", p.Name(), err, skipped)
			}
			left, err := env.Store.(projector.Counter).CountAfter(ctx, pos)
			if err != nil {
				t.Fatal(err)
			}
			if left == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("replaying %s: %d events still invisible after 30s", p.Name(), left)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

func must(t *testing.T, errs ...error) {
	t.Helper()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
}

type scene struct {
	env                                     *supporttest.Env
	requester, other, agent, agent2, portal string
}

func newScene(t *testing.T) scene {
	t.Helper()
	env := supporttest.New(t)
	return scene{
		env:       env,
		requester: env.Register(t, account.RealmSupport, account.RoleRequester, "jo@example.co.uk", "Jo Bloggs", pw),
		other:     env.Register(t, account.RealmSupport, account.RoleRequester, "eve@example.com", "Eve Other", ""),
		agent:     env.Register(t, account.RealmSupport, account.RoleAgent, "sam@practice.example", "Sam Agent", ""),
		agent2:    env.Register(t, account.RealmSupport, account.RoleAgent, "kim@practice.example", "Kim Agent", ""),
		portal:    env.Register(t, account.RealmPortal, account.RolePatient, "jo@example.co.uk", "Jo Bloggs", pw),
	}
}

func (s scene) open(t *testing.T, by string, c ticket.Category, subject string) string {
	t.Helper()
	n := support.NewTicket{Category: c, Subject: subject, Body: "Details of " + subject}
	if c == ticket.CategoryBlockedIP {
		n.IP = "203.0.113.9"
	}
	id, err := s.env.Service.OpenTicket(ctx, n, supporttest.Meta(by))
	if err != nil {
		t.Fatal(err)
	}
	return id
}

const secretNote = "NOTE-FOR-AGENTS-ONLY: requester sounded distressed"

func TestTheRequesterNeverSeesInternalNotes(t *testing.T) {
	t.Parallel()
	s := newScene(t)
	svc := s.env.Service
	id := s.open(t, s.requester, ticket.CategoryLoginTrouble, "Blank screen after login")
	must(t,
		svc.Assign(ctx, id, s.agent, supporttest.Meta(s.agent)),
		svc.Reply(ctx, id, "Could you try another browser?", supporttest.Meta(s.agent)),
		svc.AddNote(ctx, id, secretNote, supporttest.Meta(s.agent)),
		svc.Reply(ctx, id, "Chrome works, thanks.", supporttest.Meta(s.requester)),
	)
	att, err := svc.Attach(ctx, support.Attachment{TicketID: id, Kind: ticket.KindOther, Content: supporttest.TinyPNG(t)}, supporttest.Meta(s.requester))
	must(t, err)
	_, err = svc.ViewDocument(ctx, id, att, supporttest.Meta(s.agent))
	must(t, err)
	catchUp(t, s.env)

	mine, err := readmodel.RequesterTickets(ctx, s.env.Pool, s.requester)
	must(t, err)
	view, err := readmodel.RequesterTicketView(ctx, s.env.Pool, s.requester, id)
	must(t, err)
	for name, v := range map[string]any{"list": mine, "ticket": view} {
		b, _ := json.Marshal(v)
		for _, hidden := range []string{secretNote, "assignee", "priority", s.agent + `"`, "views"} {
			if strings.Contains(string(b), hidden) {
				t.Fatalf("the requester's %s shows %q: %s", name, hidden, b)
			}
		}
	}
	if len(view.Replies) != 2 || !view.Replies[0].FromSupport || view.Replies[1].Body != "Chrome works, thanks." || len(view.Documents) != 1 {
		t.Fatalf("requester's view %+v", view)
	}
	agentView, err := readmodel.AgentTicketView(ctx, s.env.Pool, id, s.env.Clock.Now())
	must(t, err)
	if len(agentView.Notes) != 1 || agentView.Notes[0].Body != secretNote || agentView.AssigneeID != s.agent || agentView.Attachments[0].Views != 1 {
		t.Fatalf("agent's view %+v", agentView)
	}
}

func TestSomeoneElsesTicketReadsAsNotFound(t *testing.T) {
	t.Parallel()
	s := newScene(t)
	id := s.open(t, s.requester, ticket.CategoryPayments, "Charged twice")
	catchUp(t, s.env)
	_, err := readmodel.RequesterTicketView(ctx, s.env.Pool, s.other, id)
	if !errors.Is(err, readmodel.ErrNotFound) || !errors.Is(err, ticket.ErrTicketNotFound) {
		t.Fatalf("another requester's view: %v", err)
	}
	if list, _ := readmodel.RequesterTickets(ctx, s.env.Pool, s.other); len(list) != 0 {
		t.Fatalf("another requester lists %+v", list)
	}
	if _, err := readmodel.AgentTicketView(ctx, s.env.Pool, "no-such-ticket", time.Time{}); !errors.Is(err, readmodel.ErrNotFound) {
		t.Fatalf("missing ticket: %v", err)
	}
}

func TestTheQueueFiltersByStatusCategoryAssigneeAndAge(t *testing.T) {
	t.Parallel()
	s := newScene(t)
	svc := s.env.Service
	old := s.open(t, s.requester, ticket.CategoryTwoFactorReset, "Lost phone")
	s.env.Clock.Advance(48 * time.Hour)
	urgent := s.open(t, s.other, ticket.CategoryBlockedIP, "Blocked")
	s.env.Clock.Advance(time.Hour)
	mine := s.open(t, s.requester, ticket.CategoryPayments, "Refund")
	done := s.open(t, s.other, ticket.CategoryOther, "Question")
	must(t,
		svc.SetPriority(ctx, urgent, ticket.PriorityUrgent, supporttest.Meta(s.agent)),
		svc.Assign(ctx, mine, s.agent2, supporttest.Meta(s.agent2)),
		svc.ChangeStatus(ctx, mine, ticket.StatusPending, supporttest.Meta(s.agent2)),
		svc.ChangeStatus(ctx, done, ticket.StatusSolved, supporttest.Meta(s.agent)),
	)
	catchUp(t, s.env)
	now := s.env.Clock.Now()
	ids := func(f readmodel.QueueFilter) []string {
		t.Helper()
		f.Now = now
		items, err := readmodel.Queue(ctx, s.env.Pool, f)
		must(t, err)
		var out []string
		for _, it := range items {
			out = append(out, it.TicketID)
		}
		return out
	}
	for name, c := range map[string]struct {
		f    readmodel.QueueFilter
		want []string
	}{
		"working, urgent first then oldest": {readmodel.QueueFilter{}, []string{urgent, old, mine}},
		"solved":                            {readmodel.QueueFilter{Statuses: []ticket.Status{ticket.StatusSolved}}, []string{done}},
		"two-factor resets":                 {readmodel.QueueFilter{Category: ticket.CategoryTwoFactorReset}, []string{old}},
		"assigned to kim":                   {readmodel.QueueFilter{AssigneeID: s.agent2}, []string{mine}},
		"unassigned":                        {readmodel.QueueFilter{Unassigned: true}, []string{urgent, old}},
		"older than a day":                  {readmodel.QueueFilter{OlderThan: 24 * time.Hour}, []string{old}},
		"pending":                           {readmodel.QueueFilter{Statuses: []ticket.Status{ticket.StatusPending}}, []string{mine}},
		"limited":                           {readmodel.QueueFilter{Limit: 1}, []string{urgent}},
		"urgent":                            {readmodel.QueueFilter{Priority: ticket.PriorityUrgent}, []string{urgent}},
		"normal and unassigned":             {readmodel.QueueFilter{Priority: ticket.PriorityNormal, Unassigned: true}, []string{old}},
	} {
		if got := ids(c.f); strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("%s: %v, want %v", name, got, c.want)
		}
	}
	items, _ := readmodel.Queue(ctx, s.env.Pool, readmodel.QueueFilter{Category: ticket.CategoryTwoFactorReset, Now: now})
	if items[0].Age != 49*time.Hour {
		t.Fatalf("age %v, want 49h", items[0].Age)
	}
	for _, f := range []readmodel.QueueFilter{{Statuses: []ticket.Status{"archived"}}, {Category: "misc"}, {OlderThan: -time.Hour}, {Priority: "whenever"}} {
		if _, err := readmodel.Queue(ctx, s.env.Pool, f); !errors.Is(err, ticket.ErrInvalidInput) {
			t.Errorf("filter %+v: %v", f, err)
		}
	}
}

func TestTheTimelineRecordsEverythingDoneForTheTicketInOrder(t *testing.T) {
	t.Parallel()
	s := newScene(t)
	svc := s.env.Service
	id := s.open(t, s.requester, ticket.CategoryLoginTrouble, "Still stuck")
	grant, err := svc.GrantSupportAccess(ctx, support.Grant{AccountID: s.portal, TicketID: id, Scopes: []account.Scope{account.ScopeLogInAs}, ExpiresAt: s.env.Clock.Now().Add(time.Hour)}, supporttest.Meta(s.portal))
	must(t, err)
	must(t,
		svc.Assign(ctx, id, s.agent, supporttest.Meta(s.agent)),
		svc.AddNote(ctx, id, "Will log in as the user.", supporttest.Meta(s.agent)),
		svc.StartLogInAs(ctx, s.portal, grant, supporttest.Meta(s.agent)),
		svc.RecordSupportAction(ctx, s.portal, grant, "cleared the saved video device", supporttest.Meta(s.agent)),
		svc.RevokeSupportAccess(ctx, s.portal, grant, supporttest.Meta(s.portal)),
		svc.ChangeStatus(ctx, id, ticket.StatusSolved, supporttest.Meta(s.agent)),
	)
	catchUp(t, s.env)
	tl, err := readmodel.Timeline(ctx, s.env.Pool, id)
	must(t, err)
	var got []string
	for _, e := range tl {
		got = append(got, e.Actor+": "+e.Summary)
	}
	want := []string{
		s.requester + ": opened a login_trouble ticket: Still stuck",
		s.portal + ": account " + s.portal + " allowed IT support to log_in_as until",
		s.agent + ": assigned to " + s.agent,
		s.agent + ": internal note",
		s.agent + ": under grant " + grant + ": log_in_as",
		s.agent + ": under grant " + grant + ": cleared the saved video device",
		s.portal + ": support access revoked (grant " + grant + ")",
		s.agent + ": status new → solved",
	}
	if len(got) != len(want) {
		t.Fatalf("timeline:\n%s", strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Fatalf("entry %d is %q, want %q\nwhole timeline:\n%s", i, got[i], want[i], strings.Join(got, "\n"))
		}
	}
	if !tl[3].Internal || tl[3].Detail != "Will log in as the user." || tl[0].Internal {
		t.Fatalf("note entry %+v", tl[3])
	}
}

func TestAccountsAreFoundByEmailInBothSites(t *testing.T) {
	t.Parallel()
	s := newScene(t)
	svc := s.env.Service
	must(t,
		svc.SetPostalAddress(ctx, s.portal, contact.Address{Line1: "1 High Street", Town: "Leeds", Postcode: "ls1 4ap"}, supporttest.Meta(s.portal)),
		supporttest.EnrolTwoFactor(ctx, s.env, s.portal),
		svc.BlockIP(ctx, s.portal, "198.51.100.4", supporttest.Meta(s.agent)),
	)
	catchUp(t, s.env)
	rows, err := readmodel.AccountsByEmail(ctx, s.env.Pool, " JO@example.CO.UK ")
	must(t, err)
	if len(rows) != 2 || rows[0].Realm != account.RealmPortal || rows[1].Realm != account.RealmSupport || rows[0].AccountID == rows[1].AccountID {
		t.Fatalf("accounts by email %+v", rows)
	}
	p := rows[0]
	if !p.TwoFactorEnabled || p.Address.Postcode != "LS1 4AP" || p.Name != "Jo Bloggs" || !p.HasPassword {
		t.Fatalf("portal account %+v", p)
	}
	ips, err := readmodel.BlockedIPs(ctx, s.env.Pool, s.portal)
	must(t, err)
	if len(ips) != 1 || ips[0].IP != "198.51.100.4" || ips[0].BlockedBy != s.agent {
		t.Fatalf("blocked %+v", ips)
	}
	if _, err := readmodel.AccountsByEmail(ctx, s.env.Pool, "not an email"); !errors.Is(err, contact.ErrInvalidEmail) {
		t.Fatalf("malformed email: %v", err)
	}
	if _, err := readmodel.AccountByID(ctx, s.env.Pool, "nobody"); !errors.Is(err, account.ErrAccountNotFound) {
		t.Fatalf("missing account: %v", err)
	}
}

// A read model rebuilt from the first event equals the one built event by event.
func TestReplayingTwiceGivesTheSameReadModel(t *testing.T) {
	t.Parallel()
	s := newScene(t)
	id := s.open(t, s.requester, ticket.CategoryAccountDetails, "Change my name")
	must(t, s.env.Service.Reply(ctx, id, "Done.", supporttest.Meta(s.agent)))
	catchUp(t, s.env)
	first, err := readmodel.Timeline(ctx, s.env.Pool, id)
	must(t, err)
	firstView, _ := readmodel.AgentTicketView(ctx, s.env.Pool, id, s.env.Clock.Now())
	catchUp(t, s.env)
	second, _ := readmodel.Timeline(ctx, s.env.Pool, id)
	secondView, _ := readmodel.AgentTicketView(ctx, s.env.Pool, id, s.env.Clock.Now())
	a, _ := json.Marshal([]any{first, firstView})
	b, _ := json.Marshal([]any{second, secondView})
	if string(a) != string(b) {
		t.Fatalf("replays differ:\n%s\n%s", a, b)
	}
}

func TestTheAgentsToAssignToAreTheSupportSitesAgentsByName(t *testing.T) {
	t.Parallel()
	s := newScene(t)
	catchUp(t, s.env)
	agents, err := readmodel.Agents(ctx, s.env.Pool)
	must(t, err)
	want := []readmodel.Agent{{AccountID: s.agent2, Name: "Kim Agent"}, {AccountID: s.agent, Name: "Sam Agent"}}
	if len(agents) != 2 || agents[0] != want[0] || agents[1] != want[1] {
		t.Errorf("agents %+v, want %+v (no requesters, no portal accounts)", agents, want)
	}
}
