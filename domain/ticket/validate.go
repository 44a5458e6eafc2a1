package ticket

import (
	"fmt"
	"time"

	"ledgerdesk/domain/check"
)

// Limits on what a command may carry. Ids are bounded by check.MaxIDLength, the same in
// every aggregate.
const (
	MaxSubjectLength = 200
	MaxBodyLength    = 20000
	MaxReasonLength  = 2000
	MaxMessages      = 500
)

// The field checks are shared by every aggregate (domain/check); these name this
// aggregate's sentinel.
func checkID(field, id string) error { return check.ID(ErrInvalidInput, field, id, check.MaxIDLength) }
func checkAt(at time.Time) error     { return check.Time(ErrInvalidInput, "at", at) }
func firstErr(errs ...error) error   { return check.First(errs...) }

// checkText validates free text a person wrote and trims its ends. Multi-line text may
// hold newlines and tabs; no text may hold other control characters.
func checkText(field, s string, maxRunes int, multiline bool) (string, error) {
	return check.Prose(ErrInvalidInput, field, s, maxRunes, multiline)
}

// live checks the command is for this, opened ticket.
func live(s State, ticketID string, at time.Time) error {
	if err := firstErr(checkID("ticket_id", ticketID), checkAt(at)); err != nil {
		return err
	}
	if !s.Opened() {
		return fmt.Errorf("%w: field ticket_id: no ticket has been opened with this id", ErrTicketNotFound)
	}
	if s.ID != ticketID {
		return check.Failf(ErrInvalidInput, "ticket_id", "the command is for a different ticket than the one loaded")
	}
	return nil
}

// notClosed refuses changes to a closed ticket: closed is final.
func notClosed(s State) error {
	if s.Status == StatusClosed {
		return fmt.Errorf("%w: closed on %s; please open a new ticket", ErrTicketClosed, s.ClosedAt.UTC().Format("2 Jan 2006"))
	}
	return nil
}
