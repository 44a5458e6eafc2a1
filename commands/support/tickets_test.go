package support_test

import (
	"errors"
	"testing"

	support "ledgerdesk/commands/support"
	"ledgerdesk/commands/support/supporttest"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/contact"
	"ledgerdesk/domain/ticket"
)

func openTicket(t *testing.T, env *supporttest.Env, requester string, c ticket.Category) string {
	t.Helper()
	n := support.NewTicket{Category: c, Subject: "Lost my phone", Body: "My authenticator app was on my old phone."}
	if c == ticket.CategoryBlockedIP {
		n.IP = "2001:db8::7"
	}
	id, err := env.Service.OpenTicket(ctx, n, supporttest.Meta(requester))
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestTicketsAreOpenedFromASupportSiteAccount(t *testing.T) {
	t.Parallel()
	env := supporttest.New(t)
	p := cast(t, env)
	ok := support.NewTicket{Category: ticket.CategoryLoginTrouble, Subject: "Blank screen", Body: "After logging in I see nothing."}
	before := events(t, env)
	_, err := env.Service.OpenTicket(ctx, ok, supporttest.Meta(p.patient))
	refused(t, env, before, err, support.ErrNotSupportAccount)
	_, err = env.Service.OpenTicket(ctx, ok, supporttest.Meta("someone-unregistered"))
	refused(t, env, before, err, support.ErrUnknownActor)
	blocked := support.NewTicket{Category: ticket.CategoryBlockedIP, Subject: "Cannot see the login screen", Body: "Please unblock me", IP: "300.1.2.3"}
	_, err = env.Service.OpenTicket(ctx, blocked, supporttest.Meta(p.requester))
	refused(t, env, before, err, ticket.ErrInvalidInput, contact.ErrInvalidIP)
	blocked.IP = ""
	_, err = env.Service.OpenTicket(ctx, blocked, supporttest.Meta(p.requester))
	refused(t, env, before, err, ticket.ErrInvalidInput, contact.ErrInvalidIP)

	meta := supporttest.Meta(p.requester)
	id, err := env.Service.OpenTicket(ctx, ok, meta)
	if err != nil {
		t.Fatal(err)
	}
	again, err := env.Service.OpenTicket(ctx, ok, meta)
	if err != nil || again != id {
		t.Fatalf("a retried open gave %s, %v; first %s", again, err, id)
	}
	st, err := env.Service.Ticket(ctx, id)
	if err != nil || st.RequesterAccountID != p.requester || st.Status != ticket.StatusNew {
		t.Fatalf("ticket %+v, %v", st, err)
	}
}

func TestRequestersActOnlyOnTheirOwnTicketsAndAgentsOnlyDoAgentsWork(t *testing.T) {
	t.Parallel()
	env := supporttest.New(t)
	p := cast(t, env)
	id := openTicket(t, env, p.requester, ticket.CategoryLoginTrouble)
	svc := env.Service
	before := events(t, env)
	for name, c := range map[string]struct {
		err  error
		want []error
	}{
		"stranger replies":            {svc.Reply(ctx, id, "me too", supporttest.Meta(p.stranger)), []error{ticket.ErrNotYourTicket}},
		"stranger marks solved":       {svc.ChangeStatus(ctx, id, ticket.StatusSolved, supporttest.Meta(p.stranger)), []error{ticket.ErrNotYourTicket}},
		"requester adds a note":       {svc.AddNote(ctx, id, "note to self", supporttest.Meta(p.requester)), []error{ticket.ErrAgentsOnly}},
		"requester assigns":           {svc.Assign(ctx, id, p.agent, supporttest.Meta(p.requester)), []error{ticket.ErrAgentsOnly}},
		"requester sets priority":     {svc.SetPriority(ctx, id, ticket.PriorityUrgent, supporttest.Meta(p.requester)), []error{ticket.ErrAgentsOnly}},
		"requester puts on hold":      {svc.ChangeStatus(ctx, id, ticket.StatusOnHold, supporttest.Meta(p.requester)), []error{ticket.ErrAgentsOnly}},
		"portal account replies":      {svc.Reply(ctx, id, "hello", supporttest.Meta(p.patient)), []error{support.ErrNotSupportAccount}},
		"assigned to a requester":     {svc.Assign(ctx, id, p.stranger, supporttest.Meta(p.agent)), []error{ticket.ErrAgentsOnly}},
		"status out of order":         {svc.ChangeStatus(ctx, id, ticket.StatusClosed, supporttest.Meta(p.agent)), []error{ticket.ErrInvalidTransition}},
		"unknown status":              {svc.ChangeStatus(ctx, id, "archived", supporttest.Meta(p.agent)), []error{ticket.ErrInvalidInput}},
		"unknown priority":            {svc.SetPriority(ctx, id, "whenever", supporttest.Meta(p.agent)), []error{ticket.ErrInvalidInput}},
		"empty reply":                 {svc.Reply(ctx, id, "  ", supporttest.Meta(p.agent)), []error{ticket.ErrInvalidInput}},
		"reply to a missing ticket":   {svc.Reply(ctx, "no-such-ticket", "hello", supporttest.Meta(p.agent)), []error{ticket.ErrTicketNotFound}},
		"note by an unknown actor":    {svc.AddNote(ctx, id, "hi", supporttest.Meta("ghost")), []error{support.ErrUnknownActor}},
		"requester reopens new as ok": {svc.ChangeStatus(ctx, id, ticket.StatusOpen, supporttest.Meta(p.requester)), []error{ticket.ErrAgentsOnly}},
	} {
		t.Run(name, func(t *testing.T) { refused(t, env, before, c.err, c.want...) })
	}

	steps := []error{
		svc.Assign(ctx, id, p.agent, supporttest.Meta(p.agent)),
		svc.SetPriority(ctx, id, ticket.PriorityHigh, supporttest.Meta(p.agent)),
		svc.Reply(ctx, id, "Which browser do you use?", supporttest.Meta(p.agent)),
		svc.AddNote(ctx, id, "Probably the cache again.", supporttest.Meta(p.agent)),
		svc.ChangeStatus(ctx, id, ticket.StatusPending, supporttest.Meta(p.agent)),
		svc.Reply(ctx, id, "Firefox.", supporttest.Meta(p.requester)),
		svc.ChangeStatus(ctx, id, ticket.StatusSolved, supporttest.Meta(p.requester)),
	}
	if err := errors.Join(steps...); err != nil {
		t.Fatal(err)
	}
	st, _ := svc.Ticket(ctx, id)
	if st.Status != ticket.StatusSolved || st.AssigneeID != p.agent || st.Priority != ticket.PriorityHigh || len(st.Messages) != 3 {
		t.Fatalf("ticket after the conversation: %+v", st)
	}
	for _, r := range st.RequesterView().Replies {
		if r.Body == "Probably the cache again." {
			t.Fatal("the requester's view shows an internal note")
		}
	}
}

func TestVerifyingIdentityNamesARealPortalAccountWithTwoFactor(t *testing.T) {
	t.Parallel()
	env := supporttest.New(t)
	p := cast(t, env)
	id := openTicket(t, env, p.requester, ticket.CategoryTwoFactorReset)
	if err := env.Service.Assign(ctx, id, p.agent, supporttest.Meta(p.agent)); err != nil {
		t.Fatal(err)
	}
	att, err := env.Service.Attach(ctx, support.Attachment{TicketID: id, Kind: ticket.KindPassport, Content: supporttest.TinyPNG(t)}, supporttest.Meta(p.requester))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Service.ViewDocument(ctx, id, att, supporttest.Meta(p.agent)); err != nil {
		t.Fatal(err)
	}
	verify := func(portal string, by string) error {
		return env.Service.VerifyIdentity(ctx, support.Verification{TicketID: id, PortalAccountID: portal, Decision: ticket.DecisionVerified}, supporttest.Meta(by))
	}
	before := events(t, env)
	refused(t, env, before, verify("", p.agent), ticket.ErrInvalidInput)
	refused(t, env, before, verify("no-such-account", p.agent), account.ErrAccountNotFound)
	refused(t, env, before, verify(p.requester, p.agent), account.ErrWrongRealm)
	refused(t, env, before, verify(p.patient, p.agent), account.ErrTwoFactorNotEnabled)
	refused(t, env, before, verify(p.patient, p.requester), ticket.ErrAgentsOnly)
	reject := support.Verification{TicketID: id, Decision: ticket.DecisionRejected}
	refused(t, env, before, env.Service.VerifyIdentity(ctx, reject, supporttest.Meta(p.agent)), ticket.ErrReasonRequired)
	reject.Reason = "The address on the passport page is not visible."
	refused(t, env, before, env.Service.VerifyIdentity(ctx, reject, supporttest.Meta(p.agent2)), ticket.ErrNotAssignedAgent)
	if err := env.Service.VerifyIdentity(ctx, reject, supporttest.Meta(p.agent)); err != nil {
		t.Fatal(err)
	}
	st, _ := env.Service.Ticket(ctx, id)
	if v := st.RequesterView(); v.Identity != ticket.DecisionRejected || v.IdentityReason != reject.Reason {
		t.Fatalf("the requester is not told why: %+v", v)
	}
}
