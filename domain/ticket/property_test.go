package ticket_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/ticket"
)

// Over random command sequences: a rejected command emits nothing; every status change
// follows the table from the status the ticket was really in; nothing but document views
// and destruction happens after closing; an internal note never reaches the requester's
// view; identity is verified only on a current, viewed identity document; and documents
// are destroyed only after the retention period following closure.
func TestInvariantTicketLifeFollowsTheRules(t *testing.T) {
	const seed = 7_2025
	const retention = 3 * day
	rng := rand.New(rand.NewPCG(seed, seed))
	counts := map[string]int{}
	for run := 0; run < 300; run++ {
		fail := func(format string, args ...any) {
			t.Helper()
			t.Fatalf("seed %d run %d: "+format, append([]any{seed, run}, args...)...)
		}
		state := ticket.State{}
		var history []ticket.Event
		apply := func(c ticket.Command) {
			events, err := ticket.Decide(state, c)
			if err != nil {
				if len(events) != 0 {
					fail("%T rejected (%v) yet emitted %v", c, err, events)
				}
				return
			}
			for _, e := range events {
				checkTicketEvent(fail, state, e, retention)
				counts[e.EventType()]++
				history = append(history, e)
				state = ticket.Evolve(state, e)
			}
			for _, r := range state.RequesterView().Replies {
				if strings.HasPrefix(r.Body, "NOTE") {
					fail("internal note %q in the requester's view", r.Body)
				}
			}
		}
		now := t0
		apply(ticket.Open{TicketID: tk, RequesterAccountID: requester, Category: ticket.CategoryTwoFactorReset, Subject: "2FA", Body: "lost phone", At: now})
		agents := []string{agent, agent2}
		docs := []string{doc1, doc2, "att-3"}
		kinds := []ticket.DocumentKind{ticket.KindPassport, ticket.KindStudentCard, ticket.KindOther, ticket.KindUtilityBill}
		for step := 0; step < 50; step++ {
			now = now.Add(time.Duration(rng.IntN(48)) * time.Hour)
			a := agents[rng.IntN(len(agents))]
			d := docs[rng.IntN(len(docs))]
			switch rng.IntN(9) {
			case 0:
				apply(ticket.ChangeStatus{TicketID: tk, To: allStatuses[rng.IntN(len(allStatuses))], By: a, ByAgent: true, At: now})
			case 1:
				apply(ticket.PublicReply{TicketID: tk, AuthorID: requester, Body: fmt.Sprintf("reply %d", step), At: now})
			case 2:
				apply(ticket.InternalNote{TicketID: tk, AgentID: a, Body: fmt.Sprintf("NOTE %d", step), At: now})
			case 3:
				apply(ticket.Assign{TicketID: tk, AgentID: a, By: a, At: now})
			case 4:
				k := kinds[rng.IntN(len(kinds))]
				var exp *ledger.Date
				if k == ticket.KindStudentCard {
					exp = date("2025-04-30")
				}
				apply(ticket.AttachDocument{TicketID: tk, AttachmentID: d, UploadedBy: requester, Kind: k, ContentType: "image/png", Size: 100, ExpiresOn: exp, At: now})
			case 5:
				apply(ticket.ViewDocument{TicketID: tk, AttachmentID: d, AgentID: a, At: now})
			case 6:
				apply(ticket.VerifyIdentity{TicketID: tk, AgentID: a, Decision: ticket.DecisionVerified, At: now})
			case 7:
				apply(ticket.VerifyIdentity{TicketID: tk, AgentID: a, Decision: ticket.DecisionRejected, Reason: "blurred", At: now})
			case 8:
				apply(ticket.DestroyExpiredDocuments{TicketID: tk, Retention: retention, At: now})
			}
		}
	}
	for _, e := range []ticket.Event{ticket.StatusChanged{}, ticket.IdentityVerified{}, ticket.DocumentDestroyed{}, ticket.InternalNoteAdded{}} {
		if counts[e.EventType()] < 10 {
			t.Errorf("seed %d: only %d %s events generated", seed, counts[e.EventType()], e.EventType())
		}
	}
	t.Logf("seed %d: %v", seed, counts)
}

func checkTicketEvent(fail func(string, ...any), before ticket.State, e ticket.Event, retention time.Duration) {
	if before.Status == ticket.StatusClosed {
		switch e.(type) {
		case ticket.DocumentViewed, ticket.DocumentDestroyed:
		default:
			fail("%T after the ticket was closed", e)
		}
	}
	switch e := e.(type) {
	case ticket.StatusChanged:
		if e.From != before.Status || !ticket.CanTransition(e.From, e.To) {
			fail("status change %s → %s from actual status %s", e.From, e.To, before.Status)
		}
	case ticket.IdentityVerified:
		if len(e.AttachmentIDs) == 0 {
			fail("identity verified on no document")
		}
		for _, id := range e.AttachmentIDs {
			i := slices.IndexFunc(before.Documents, func(d ticket.Document) bool { return d.AttachmentID == id })
			if i < 0 {
				fail("verified on unknown document %s", id)
			}
			d := before.Documents[i]
			if !d.Kind.IsIdentity() || d.Destroyed() || d.ExpiredAt(e.At) || !slices.Contains(d.ViewedBy, e.AgentID) {
				fail("verified on unusable document %+v", d)
			}
		}
	case ticket.DocumentDestroyed:
		if before.Status != ticket.StatusClosed || e.At.Sub(before.ClosedAt) <= retention {
			fail("document destroyed before retention passed: closed %v at %v", before.ClosedAt, e.At)
		}
	}
}
