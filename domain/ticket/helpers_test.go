package ticket_test

import (
	"time"

	"ledgerdesk/domain/decider/decidertest"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/ticket"
)

const (
	tk        = "0190a8f2-0000-7000-8000-00000000000t"
	requester = "0190a8f2-0000-7000-8000-00000000000r"
	stranger  = "0190a8f2-0000-7000-8000-00000000000s"
	agent     = "0190a8f2-0000-7000-8000-0000000000a1"
	agent2    = "0190a8f2-0000-7000-8000-0000000000a2"
	doc1      = "att-1"
	doc2      = "att-2"
)

var t0 = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)

func at(d time.Duration) time.Time { return t0.Add(d) }

const day = 24 * time.Hour

func spec() *decidertest.Spec[ticket.State, ticket.Command, ticket.Event] {
	return decidertest.For(ticket.Decide, ticket.Evolve)
}

func opened(c ticket.Category) ticket.Event {
	return ticket.Opened{TicketID: tk, RequesterAccountID: requester, Category: c, Subject: "Cannot log in", Body: "My code app was on my old phone.", At: t0}
}

var twoFA = opened(ticket.CategoryTwoFactorReset)

func status(from, to ticket.Status, d time.Duration) ticket.Event {
	return ticket.StatusChanged{TicketID: tk, From: from, To: to, By: agent, At: at(d)}
}

func assigned(a string) ticket.Event {
	return ticket.Assigned{TicketID: tk, AgentID: a, By: a, At: at(time.Minute)}
}

func attached(id string, kind ticket.DocumentKind, expires *ledger.Date) ticket.Event {
	return ticket.DocumentAttached{TicketID: tk, AttachmentID: id, Kind: kind, ContentType: "image/jpeg", Size: 123456, ExpiresOn: expires, UploadedBy: requester, At: at(2 * time.Minute)}
}

func viewed(id, a string) ticket.Event {
	return ticket.DocumentViewed{TicketID: tk, AttachmentID: id, AgentID: a, At: at(3 * time.Minute)}
}

func date(s string) *ledger.Date {
	d, err := ledger.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return &d
}

// closedAt walks a ticket to closed at t0+d.
func closedAt(d time.Duration) []ticket.Event {
	return []ticket.Event{status(ticket.StatusNew, ticket.StatusSolved, d-time.Hour), status(ticket.StatusSolved, ticket.StatusClosed, d)}
}
