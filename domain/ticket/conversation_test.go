package ticket_test

import (
	"strings"
	"testing"
	"time"

	"ledgerdesk/domain/ticket"
)

func TestRequesterAndAgentReply(t *testing.T) {
	spec().Given(twoFA).When(ticket.PublicReply{TicketID: tk, AuthorID: requester, Body: "Any news?", At: at(time.Hour)}).
		Then(t, ticket.PublicReplyPosted{TicketID: tk, RequesterAccountID: requester, AuthorID: requester, Body: "Any news?", At: at(time.Hour)})
	spec().Given(twoFA).When(ticket.PublicReply{TicketID: tk, AuthorID: agent, ByAgent: true, Body: "Looking now", At: at(time.Hour)}).
		Then(t, ticket.PublicReplyPosted{TicketID: tk, RequesterAccountID: requester, AuthorID: agent, ByAgent: true, Body: "Looking now", At: at(time.Hour)})
}

func TestARequesterCannotReplyOnSomeoneElsesTicket(t *testing.T) {
	spec().Given(twoFA).When(ticket.PublicReply{TicketID: tk, AuthorID: stranger, Body: "hi", At: at(time.Hour)}).ThenError(t, ticket.ErrNotYourTicket)
	spec().Given(twoFA).When(ticket.AttachDocument{TicketID: tk, AttachmentID: doc1, UploadedBy: stranger, Kind: ticket.KindPassport, ContentType: "image/png", Size: 10, At: at(time.Hour)}).
		ThenError(t, ticket.ErrNotYourTicket)
	spec().Given(twoFA).When(ticket.ChangeStatus{TicketID: tk, To: ticket.StatusSolved, By: stranger, At: at(time.Hour)}).ThenError(t, ticket.ErrNotYourTicket)
}

func TestTheRequestersReplyReopensPendingAndRecentlySolvedTickets(t *testing.T) {
	reply := ticket.PublicReply{TicketID: tk, AuthorID: requester, Body: "Still broken", At: at(2 * day)}
	posted := ticket.PublicReplyPosted{TicketID: tk, RequesterAccountID: requester, AuthorID: requester, Body: "Still broken", At: at(2 * day)}
	spec().Given(twoFA, status(ticket.StatusNew, ticket.StatusPending, time.Hour)).When(reply).
		Then(t, posted, ticket.StatusChanged{TicketID: tk, From: ticket.StatusPending, To: ticket.StatusOpen, By: requester, At: at(2 * day)})
	spec().Given(twoFA, status(ticket.StatusNew, ticket.StatusSolved, day)).When(reply).
		Then(t, posted, ticket.StatusChanged{TicketID: tk, From: ticket.StatusSolved, To: ticket.StatusOpen, By: requester, At: at(2 * day)})
	spec().Given(twoFA, status(ticket.StatusNew, ticket.StatusOnHold, time.Hour)).When(reply).Then(t, posted)
	late := reply
	late.At = at(day + ticket.ReopenWindow + time.Second)
	spec().Given(twoFA, status(ticket.StatusNew, ticket.StatusSolved, day)).When(late).ThenError(t, ticket.ErrReopenWindowPassed)
	// An agent's reply leaves the status to the agent.
	spec().Given(twoFA, status(ticket.StatusNew, ticket.StatusPending, time.Hour)).
		When(ticket.PublicReply{TicketID: tk, AuthorID: agent, ByAgent: true, Body: "x", At: at(day)}).
		Then(t, ticket.PublicReplyPosted{TicketID: tk, RequesterAccountID: requester, AuthorID: agent, ByAgent: true, Body: "x", At: at(day)})
}

func TestInternalNotesAreNeverInTheRequestersView(t *testing.T) {
	spec().Given(twoFA,
		ticket.PublicReplyPosted{TicketID: tk, RequesterAccountID: requester, AuthorID: agent, ByAgent: true, Body: "We are on it", At: at(time.Hour)},
	).When(ticket.InternalNote{TicketID: tk, AgentID: agent, Body: "Name on licence differs: maiden name?", At: at(2 * time.Hour)}).
		ThenState(t, func(t testing.TB, s ticket.State) {
			if len(s.Messages) != 2 || !s.Messages[1].Internal {
				t.Fatalf("agent state lost the note: %+v", s.Messages)
			}
			v := s.RequesterView()
			if len(v.Replies) != 1 || v.Replies[0].Body != "We are on it" || !v.Replies[0].FromSupport {
				t.Fatalf("requester view %+v", v.Replies)
			}
			for _, r := range v.Replies {
				if strings.Contains(r.Body, "maiden") {
					t.Fatal("internal note shown to requester")
				}
			}
		})
}

func TestConversationRejections(t *testing.T) {
	closed := append([]ticket.Event{twoFA}, closedAt(day)...)
	full := []ticket.Event{twoFA}
	for i := 0; i < ticket.MaxMessages; i++ {
		full = append(full, ticket.InternalNoteAdded{TicketID: tk, RequesterAccountID: requester, AgentID: agent, Body: "n", At: at(time.Minute)})
	}
	for name, c := range map[string]struct {
		given []ticket.Event
		cmd   ticket.Command
		want  error
	}{
		"reply on closed":    {closed, ticket.PublicReply{TicketID: tk, AuthorID: requester, Body: "x", At: at(2 * day)}, ticket.ErrTicketClosed},
		"note on closed":     {closed, ticket.InternalNote{TicketID: tk, AgentID: agent, Body: "x", At: at(2 * day)}, ticket.ErrTicketClosed},
		"empty reply":        {[]ticket.Event{twoFA}, ticket.PublicReply{TicketID: tk, AuthorID: requester, Body: "  ", At: at(1)}, ticket.ErrInvalidInput},
		"empty note":         {[]ticket.Event{twoFA}, ticket.InternalNote{TicketID: tk, AgentID: agent, Body: "", At: at(1)}, ticket.ErrInvalidInput},
		"note without agent": {[]ticket.Event{twoFA}, ticket.InternalNote{TicketID: tk, Body: "x", At: at(1)}, ticket.ErrInvalidInput},
		"reply with no time": {[]ticket.Event{twoFA}, ticket.PublicReply{TicketID: tk, AuthorID: requester, Body: "x"}, ticket.ErrInvalidInput},
		"too many messages":  {full, ticket.PublicReply{TicketID: tk, AuthorID: requester, Body: "x", At: at(1)}, ticket.ErrTooManyMessages},
		"too many notes":     {full, ticket.InternalNote{TicketID: tk, AgentID: agent, Body: "x", At: at(1)}, ticket.ErrTooManyMessages},
	} {
		t.Run(name, func(t *testing.T) { spec().Given(c.given...).When(c.cmd).ThenError(t, c.want) })
	}
}

func TestAssignAndPriority(t *testing.T) {
	spec().Given(twoFA).When(ticket.Assign{TicketID: tk, AgentID: agent, By: agent2, At: at(1)}).
		Then(t, ticket.Assigned{TicketID: tk, AgentID: agent, By: agent2, At: at(1)})
	spec().Given(twoFA, assigned(agent)).When(ticket.Assign{TicketID: tk, AgentID: agent, By: agent, At: at(2)}).Then(t)
	spec().Given(twoFA).When(ticket.SetPriority{TicketID: tk, Priority: ticket.PriorityUrgent, By: agent, At: at(1)}).
		Then(t, ticket.PriorityChanged{TicketID: tk, From: ticket.PriorityNormal, To: ticket.PriorityUrgent, By: agent, At: at(1)})
	spec().Given(twoFA).When(ticket.SetPriority{TicketID: tk, Priority: ticket.PriorityNormal, By: agent, At: at(1)}).Then(t)
	spec().Given(twoFA).When(ticket.SetPriority{TicketID: tk, Priority: "critical", By: agent, At: at(1)}).ThenError(t, ticket.ErrInvalidInput)
	spec().Given(twoFA).When(ticket.Assign{TicketID: tk, By: agent, At: at(1)}).ThenError(t, ticket.ErrInvalidInput)
	closed := append([]ticket.Event{twoFA}, closedAt(day)...)
	spec().Given(closed...).When(ticket.Assign{TicketID: tk, AgentID: agent, By: agent, At: at(2 * day)}).ThenError(t, ticket.ErrTicketClosed)
	spec().Given(closed...).When(ticket.SetPriority{TicketID: tk, Priority: ticket.PriorityHigh, By: agent, At: at(2 * day)}).ThenError(t, ticket.ErrTicketClosed)
}
