package support_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"ledgerdesk/projector"

	support "ledgerdesk/commands/support"
	"ledgerdesk/commands/support/attachment"
	"ledgerdesk/commands/support/supporttest"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/contact"
	"ledgerdesk/domain/ticket"
	policies "ledgerdesk/policies/support"
	"ledgerdesk/projections"
	readmodel "ledgerdesk/projections/support"
)

var ctx = context.Background()

const pw = "correct horse battery staple"

// run starts the read models and the policies on one runner, as serve does.
func run(t *testing.T, env *supporttest.Env) {
	t.Helper()
	ps := append([]projections.Projection{readmodel.NewTickets(env.Codec), readmodel.NewAccounts(env.Codec)}, policies.Policies(env.Service, nil)...)
	runner, err := projector.NewRunner(ctx, projector.Config{Store: env.Store, DB: env.Pool, Projections: ps})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = runner.Run(runCtx) }()
	t.Cleanup(func() { cancel(); <-done })
}

// eventually polls until ok says yes, for up to 30 seconds.
func eventually(t *testing.T, what string, ok func() (bool, error)) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		yes, err := ok()
		if err != nil && !errors.Is(err, readmodel.ErrNotFound) {
			t.Fatalf("%s: %v", what, err)
		}
		if yes {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: still not the case after 30s (last error %v)", what, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func must(t *testing.T, errs ...error) {
	t.Helper()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
}

// The whole two-factor reset journey, against a real database with the projection runner
// running: a support account is registered, a ticket opened, a passport photo attached,
// an agent views it and verifies the holder against the portal account, the policy resets
// that account's two-factor (and the accounts read model shows it), the ticket is solved
// and closed, and once the retention period has passed the photo is destroyed: the event
// recorded, the bytes and the key gone.
func TestTheTwoFactorResetJourneyFromTicketToDestroyedDocument(t *testing.T) {
	t.Parallel()
	env := supporttest.New(t)
	svc := env.Service
	run(t, env)

	// The patient's portal account, with two-factor on a phone since lost.
	portal := env.Register(t, account.RealmPortal, account.RolePatient, "jo@example.co.uk", "Jo Bloggs", pw)
	home := contact.Address{Line1: "1 High Street", Town: "Leeds", Postcode: "LS1 4AP"}
	must(t, svc.SetPostalAddress(ctx, portal, home, supporttest.Meta(portal)), supporttest.EnrolTwoFactor(ctx, env, portal))
	agent := env.Register(t, account.RealmSupport, account.RoleAgent, "sam@practice.example", "Sam Agent", "")

	// 1. A support-site account, distinct from the portal one though the email is the same.
	requester := env.Register(t, account.RealmSupport, account.RoleRequester, "jo@example.co.uk", "Jo Bloggs", pw)
	if requester == portal {
		t.Fatal("the support account is the portal account")
	}
	// 2. The ticket.
	tk, err := svc.OpenTicket(ctx, support.NewTicket{Category: ticket.CategoryTwoFactorReset, Subject: "Lost my phone", Body: "My authenticator was on the phone I lost."}, supporttest.Meta(requester))
	must(t, err)
	// 3. A photo of the passport: real PNG bytes.
	photo := supporttest.TinyPNG(t)
	doc, err := svc.Attach(ctx, support.Attachment{TicketID: tk, Kind: ticket.KindPassport, Content: photo}, supporttest.Meta(requester))
	must(t, err)

	// 4. The agent finds it in the queue, takes it, finds the portal account by the
	// requester's email, opens the photo and compares.
	eventually(t, "the ticket in the two-factor queue", func() (bool, error) {
		items, err := readmodel.Queue(ctx, env.Pool, readmodel.QueueFilter{Category: ticket.CategoryTwoFactorReset, Unassigned: true})
		return len(items) == 1 && items[0].TicketID == tk && items[0].Documents == 1, err
	})
	must(t, svc.Assign(ctx, tk, agent, supporttest.Meta(agent)))
	var candidate readmodel.AccountRow
	eventually(t, "the portal account found by email", func() (bool, error) {
		rows, err := readmodel.AccountsByEmail(ctx, env.Pool, "jo@example.co.uk")
		for _, r := range rows {
			if r.Realm == account.RealmPortal && r.TwoFactorEnabled && r.Address.Postcode != "" {
				candidate = r
				return true, err
			}
		}
		return false, err
	})
	if candidate.AccountID != portal || candidate.Name != "Jo Bloggs" || candidate.Address != home {
		t.Fatalf("portal account to compare with: %+v", candidate)
	}
	opened, err := svc.ViewDocument(ctx, tk, doc, supporttest.Meta(agent))
	must(t, err)
	if !bytes.Equal(opened.Content, photo) || opened.ContentType != "image/png" {
		t.Fatal("the agent did not get the photo back")
	}
	must(t, svc.VerifyIdentity(ctx, support.Verification{TicketID: tk, PortalAccountID: portal, Decision: ticket.DecisionVerified}, supporttest.Meta(agent)))

	// 5. The policy resets the portal account's two-factor; the read model shows it.
	eventually(t, "the reset in the accounts read model", func() (bool, error) {
		a, err := readmodel.AccountByID(ctx, env.Pool, portal)
		return !a.TwoFactorEnabled && a.TwoFactorResetTicket == tk && a.TwoFactorResetBy == agent, err
	})
	if a, _ := svc.Account(ctx, portal); a.TwoFactorEnabled() {
		t.Fatal("the portal account's history still has two-factor on")
	}
	if _, err := svc.Authenticate(ctx, support.Login{Realm: account.RealmPortal, Email: "jo@example.co.uk", Password: pw}); err != nil {
		t.Fatalf("signing in without a code after the reset: %v", err)
	}

	// 6. Solved, then closed.
	must(t,
		svc.Reply(ctx, tk, "Your two-factor authentication has been reset; set it up again from your profile.", supporttest.Meta(agent)),
		svc.ChangeStatus(ctx, tk, ticket.StatusSolved, supporttest.Meta(agent)),
	)
	env.Clock.Advance(3 * 24 * time.Hour)
	must(t, svc.ChangeStatus(ctx, tk, ticket.StatusClosed, supporttest.Meta(agent)))
	closedAt := env.Clock.Now()

	// 7. The retention sweep leaves the document until 30 days after closing have passed.
	sweep := policies.Retention{Service: svc, DB: env.Pool}
	eventually(t, "the closed ticket in the read model", func() (bool, error) {
		v, err := readmodel.AgentTicketView(ctx, env.Pool, tk, time.Time{})
		return v.Status == ticket.StatusClosed, err
	})
	for _, at := range []time.Duration{0, 29 * 24 * time.Hour, 30 * 24 * time.Hour} {
		env.Clock.Advance(closedAt.Add(at).Sub(env.Clock.Now()))
		res, err := sweep.Sweep(ctx)
		must(t, err)
		if res.Documents != 0 {
			t.Fatalf("%v after closing: %d documents destroyed, want none yet", at, res.Documents)
		}
	}
	if ok, _ := env.Files.Exists(ctx, doc); !ok {
		t.Fatal("the document went before its time")
	}
	env.Clock.Advance(time.Minute)
	res, err := sweep.Sweep(ctx)
	must(t, err)
	if res != (policies.SweepResult{Tickets: 1, Documents: 1}) {
		t.Fatalf("sweep after retention: %+v", res)
	}

	// 8. Destroyed: the event, the bytes, the key.
	st, err := svc.Ticket(ctx, tk)
	must(t, err)
	if !st.Documents[0].Destroyed() {
		t.Fatal("no DocumentDestroyed in the ticket's history")
	}
	eventually(t, "the bytes and the key deleted", func() (bool, error) {
		held, err := env.Files.Exists(ctx, doc)
		if err != nil {
			return false, err
		}
		key, err := env.Files.HasKey(ctx, tk, attachment.ClassIdentity)
		return !held && !key, err
	})
	if _, err := env.Files.Open(ctx, tk, doc, agent); !errors.Is(err, attachment.ErrDestroyed) {
		t.Fatalf("reading the destroyed document from the store: %v", err)
	}
	if _, err := svc.ViewDocument(ctx, tk, doc, supporttest.Meta(agent)); !errors.Is(err, ticket.ErrDocumentDestroyed) {
		t.Fatalf("viewing the destroyed document: %v", err)
	}
	eventually(t, "the requester sees the document destroyed", func() (bool, error) {
		v, err := readmodel.RequesterTicketView(ctx, env.Pool, requester, tk)
		return err == nil && len(v.Documents) == 1 && v.Documents[0].Destroyed && v.Identity == ticket.DecisionVerified, err
	})
	if res, err := sweep.Sweep(ctx); err != nil || res.Documents != 0 {
		t.Fatalf("a second sweep: %+v, %v", res, err)
	}

	// The audit timeline tells the whole story, the reset on the portal account included.
	tl, err := readmodel.Timeline(ctx, env.Pool, tk)
	must(t, err)
	var story []string
	for _, e := range tl {
		story = append(story, e.Summary)
	}
	text := strings.Join(story, "\n")
	for _, want := range []string{"opened a two_factor_reset ticket", "attached passport", "assigned to", "viewed document " + doc,
		"identity verified against portal account " + portal, "two-factor reset on portal account " + portal,
		"status solved → closed", "destroyed document " + doc} {
		if !strings.Contains(text, want) {
			t.Fatalf("the timeline lacks %q:\n%s", want, text)
		}
	}
	if reads, _ := env.Files.Reads(ctx, doc); len(reads) != 1 || reads[0].Reader != agent {
		t.Fatalf("the read log %+v, want the agent's one view", reads)
	}
}
