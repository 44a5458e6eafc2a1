package ticket_test

import (
	"testing"
	"time"

	"ledgerdesk/domain/ticket"
)

const autoclose = "policy:ticket_autoclose"

func closeSolved(d time.Duration) ticket.CloseSolved {
	return ticket.CloseSolved{TicketID: tk, By: autoclose, At: at(d)}
}

// A ticket solved more than the reopen window ago closes, as the ordinary status change
// recorded under the system actor that closed it.
func TestASolvedTicketPastTheReopenWindowCloses(t *testing.T) {
	solved := status(ticket.StatusNew, ticket.StatusSolved, time.Hour)
	spec().Given(opened(ticket.CategoryOther), solved).When(closeSolved(time.Hour+ticket.ReopenWindow+time.Second)).
		Then(t, ticket.StatusChanged{TicketID: tk, From: ticket.StatusSolved, To: ticket.StatusClosed, By: autoclose, At: at(time.Hour + ticket.ReopenWindow + time.Second)})
}

// Invariant: a ticket its requester may still reopen is never closed, and a ticket that
// is not solved (or is already closed) is left alone, so the sweep may run any number of
// times.
func TestCloseSolvedNeverClosesATicketThatCanStillBeReopened(t *testing.T) {
	solved := status(ticket.StatusNew, ticket.StatusSolved, time.Hour)
	for name, c := range map[string]struct {
		given []ticket.Event
		at    time.Duration
	}{
		"solved 6 days ago":              {[]ticket.Event{opened(ticket.CategoryOther), solved}, time.Hour + 6*day},
		"solved exactly 7 days ago":      {[]ticket.Event{opened(ticket.CategoryOther), solved}, time.Hour + ticket.ReopenWindow},
		"reopened after being solved":    {[]ticket.Event{opened(ticket.CategoryOther), solved, status(ticket.StatusSolved, ticket.StatusOpen, 2*time.Hour)}, 30 * day},
		"open, never solved":             {pathTo(ticket.StatusOpen), 30 * day},
		"already closed":                 {pathTo(ticket.StatusClosed), 30 * day},
		"re-solved 2 days ago, reopened": {[]ticket.Event{opened(ticket.CategoryOther), solved, status(ticket.StatusSolved, ticket.StatusOpen, 2*time.Hour), status(ticket.StatusOpen, ticket.StatusSolved, 28*day)}, 30 * day},
	} {
		t.Run(name, func(t *testing.T) {
			spec().Given(c.given...).When(closeSolved(c.at)).Then(t)
			// Whatever the sweep leaves open, the requester can still reopen.
			s := ticket.Decider.Fold(c.given)
			if s.Status == ticket.StatusSolved {
				if _, err := ticket.Decide(s, ticket.PublicReply{TicketID: tk, AuthorID: requester, Body: "still broken", At: at(c.at)}); err != nil {
					t.Fatalf("left solved but cannot be reopened: %v", err)
				}
			}
		})
	}
}

func TestCloseSolvedNeedsAnActor(t *testing.T) {
	spec().Given(opened(ticket.CategoryOther), status(ticket.StatusNew, ticket.StatusSolved, time.Hour)).
		When(ticket.CloseSolved{TicketID: tk, At: at(30 * day)}).ThenError(t, ticket.ErrInvalidInput)
}

// Once closed by the sweep, the requester's reply is refused as for any closed ticket.
func TestARequesterCannotReplyToAnAutomaticallyClosedTicket(t *testing.T) {
	spec().Given(opened(ticket.CategoryOther), status(ticket.StatusNew, ticket.StatusSolved, time.Hour),
		ticket.StatusChanged{TicketID: tk, From: ticket.StatusSolved, To: ticket.StatusClosed, By: autoclose, At: at(8 * day)}).
		When(ticket.PublicReply{TicketID: tk, AuthorID: requester, Body: "hello?", At: at(9 * day)}).
		ThenError(t, ticket.ErrTicketClosed)
}
