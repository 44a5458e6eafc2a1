package ticket_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"ledgerdesk/domain/ticket"
)

// pathTo returns the events that bring a fresh ticket to status s.
func pathTo(s ticket.Status) []ticket.Event {
	evs := []ticket.Event{opened(ticket.CategoryOther)}
	switch s {
	case ticket.StatusOpen, ticket.StatusPending, ticket.StatusOnHold, ticket.StatusSolved:
		evs = append(evs, status(ticket.StatusNew, s, time.Hour))
	case ticket.StatusClosed:
		evs = append(evs, closedAt(2*time.Hour)...)
	}
	return evs
}

var allStatuses = []ticket.Status{ticket.StatusNew, ticket.StatusOpen, ticket.StatusPending, ticket.StatusOnHold, ticket.StatusSolved, ticket.StatusClosed}

// The whole table, both ways: every listed change is accepted and every other refused with
// an error naming both ends.
func TestStatusTransitionTable(t *testing.T) {
	allowed := map[[2]ticket.Status]bool{}
	for _, p := range [][2]ticket.Status{
		{"new", "open"}, {"new", "pending"}, {"new", "on_hold"}, {"new", "solved"},
		{"open", "pending"}, {"open", "on_hold"}, {"open", "solved"},
		{"pending", "open"}, {"pending", "on_hold"}, {"pending", "solved"},
		{"on_hold", "open"}, {"on_hold", "pending"}, {"on_hold", "solved"},
		{"solved", "open"}, {"solved", "closed"},
	} {
		allowed[p] = true
	}
	for _, from := range allStatuses {
		for _, to := range allStatuses {
			cmd := ticket.ChangeStatus{TicketID: tk, To: to, By: agent, ByAgent: true, At: at(3 * time.Hour)}
			s := spec().Given(pathTo(from)...).When(cmd)
			if allowed[[2]ticket.Status{from, to}] {
				s.Then(t, ticket.StatusChanged{TicketID: tk, From: from, To: to, By: agent, At: at(3 * time.Hour)})
				continue
			}
			s.ThenError(t, ticket.ErrInvalidTransition)
			_, err := ticket.Decide(ticket.Decider.Fold(pathTo(from)), cmd)
			if !strings.Contains(err.Error(), "from "+string(from)+" to "+string(to)) {
				t.Errorf("%s → %s: error %q does not name both ends", from, to, err)
			}
			if ticket.CanTransition(from, to) {
				t.Errorf("CanTransition(%s, %s) disagrees", from, to)
			}
		}
	}
}

func TestClosedIsFinal(t *testing.T) {
	for _, to := range allStatuses {
		_, err := ticket.Decide(ticket.Decider.Fold(pathTo(ticket.StatusClosed)), ticket.ChangeStatus{TicketID: tk, To: to, By: agent, ByAgent: true, At: at(100 * day)})
		if !errors.Is(err, ticket.ErrInvalidTransition) || !errors.Is(err, ticket.ErrTicketClosed) {
			t.Errorf("closed → %s: %v", to, err)
		}
	}
}

func TestReopenOnlyWithinSevenDaysOfSolving(t *testing.T) {
	solved := []ticket.Event{opened(ticket.CategoryOther), status(ticket.StatusNew, ticket.StatusSolved, 0)}
	reopen := func(d time.Duration) ticket.ChangeStatus {
		return ticket.ChangeStatus{TicketID: tk, To: ticket.StatusOpen, By: agent, ByAgent: true, At: at(d)}
	}
	spec().Given(solved...).When(reopen(ticket.ReopenWindow)).Then(t, status(ticket.StatusSolved, ticket.StatusOpen, ticket.ReopenWindow))
	spec().Given(solved...).When(reopen(ticket.ReopenWindow+time.Second)).ThenError(t, ticket.ErrReopenWindowPassed)
	// Solving again restarts the window.
	again := append(solved, status(ticket.StatusSolved, ticket.StatusOpen, day), status(ticket.StatusOpen, ticket.StatusSolved, 6*day))
	spec().Given(again...).When(reopen(12*day)).Then(t, status(ticket.StatusSolved, ticket.StatusOpen, 12*day))
}

func TestARequesterMayOnlyMarkTheirTicketSolved(t *testing.T) {
	spec().Given(pathTo(ticket.StatusOpen)...).When(ticket.ChangeStatus{TicketID: tk, To: ticket.StatusSolved, By: requester, At: at(3 * time.Hour)}).
		Then(t, ticket.StatusChanged{TicketID: tk, From: ticket.StatusOpen, To: ticket.StatusSolved, By: requester, At: at(3 * time.Hour)})
	spec().Given(pathTo(ticket.StatusSolved)...).When(ticket.ChangeStatus{TicketID: tk, To: ticket.StatusClosed, By: requester, At: at(3 * time.Hour)}).
		ThenError(t, ticket.ErrAgentsOnly)
	spec().Given(pathTo(ticket.StatusOpen)...).When(ticket.ChangeStatus{TicketID: tk, To: "archived", By: agent, ByAgent: true, At: at(3 * time.Hour)}).
		ThenError(t, ticket.ErrInvalidInput)
}
