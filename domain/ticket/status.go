package ticket

import (
	"fmt"
	"time"

	"ledgerdesk/domain/check"
)

// Status is where a ticket is in its life.
type Status string

const (
	StatusNew     Status = "new"
	StatusOpen    Status = "open"
	StatusPending Status = "pending" // waiting for the requester
	StatusOnHold  Status = "on_hold" // waiting for someone else
	StatusSolved  Status = "solved"
	StatusClosed  Status = "closed" // final
)

// ReopenWindow is how long after being solved a ticket can still be reopened; after that
// the requester opens a new one.
const ReopenWindow = 7 * 24 * time.Hour

// Transitions lists every allowed status change. Nothing leaves closed; solved goes back
// only to open (within ReopenWindow) or on to closed; nothing returns to new.
var Transitions = map[Status][]Status{
	StatusNew:     {StatusOpen, StatusPending, StatusOnHold, StatusSolved},
	StatusOpen:    {StatusPending, StatusOnHold, StatusSolved},
	StatusPending: {StatusOpen, StatusOnHold, StatusSolved},
	StatusOnHold:  {StatusOpen, StatusPending, StatusSolved},
	StatusSolved:  {StatusOpen, StatusClosed},
	StatusClosed:  {},
}

// CanTransition reports whether from → to is in the table.
func CanTransition(from, to Status) bool {
	for _, s := range Transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// ParseStatus reads a status name.
func ParseStatus(s string) (Status, error) {
	if _, ok := Transitions[Status(s)]; ok {
		return Status(s), nil
	}
	return "", check.Failf(ErrInvalidInput, "status", "must be new, open, pending, on_hold, solved or closed")
}

// transition checks a change, the reopen window included.
func transition(s State, to Status, at time.Time) error {
	if !CanTransition(s.Status, to) {
		return fmt.Errorf("%w: from %s to %s", ErrInvalidTransition, s.Status, to)
	}
	if s.Status == StatusSolved && to == StatusOpen && at.Sub(s.SolvedAt) > ReopenWindow {
		return fmt.Errorf("%w: from solved to open: solved on %s, more than 7 days ago; please open a new ticket", ErrReopenWindowPassed, s.SolvedAt.UTC().Format("2 Jan 2006"))
	}
	return nil
}
