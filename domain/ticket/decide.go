package ticket

import (
	"fmt"

	"ledgerdesk/domain/contact"
)

// Decide turns a command into events, or a rejection with no events.
func Decide(s State, c Command) ([]Event, error) {
	switch c := c.(type) {
	case Open:
		return open(s, c)
	case PublicReply:
		return publicReply(s, c)
	case InternalNote:
		return internalNote(s, c)
	case Assign:
		return assign(s, c)
	case SetPriority:
		return setPriority(s, c)
	case ChangeStatus:
		return changeStatus(s, c)
	case AttachDocument:
		return attachDocument(s, c)
	case ViewDocument:
		return viewDocument(s, c)
	case VerifyIdentity:
		return verifyIdentity(s, c)
	case DestroyExpiredDocuments:
		return destroyExpiredDocuments(s, c)
	case CloseSolved:
		return closeSolved(s, c)
	}
	return nil, fmt.Errorf("%w: %T", ErrUnknownCommand, c)
}

func open(s State, c Open) ([]Event, error) {
	if err := firstErr(checkID("ticket_id", c.TicketID), checkID("requester_account_id", c.RequesterAccountID), checkAt(c.At)); err != nil {
		return nil, err
	}
	if s.Opened() {
		return nil, fmt.Errorf("%w: field ticket_id: a ticket with this id exists", ErrAlreadyOpened)
	}
	category, err := ParseCategory(string(c.Category))
	if err != nil {
		return nil, err
	}
	subject, err := checkText("subject", c.Subject, MaxSubjectLength, false)
	if err != nil {
		return nil, err
	}
	body, err := checkText("body", c.Body, MaxBodyLength, true)
	if err != nil {
		return nil, err
	}
	ip := ""
	if c.IP != "" || category == CategoryBlockedIP {
		if ip, err = contact.ParseIP(c.IP); err != nil {
			// A blocked user cannot see the login screen: the IP is the one thing support
			// needs to let them back in, so a blocked_ip ticket without it is refused.
			return nil, fmt.Errorf("%w: %w", ErrInvalidInput, err)
		}
	}
	return []Event{Opened{TicketID: c.TicketID, RequesterAccountID: c.RequesterAccountID, Category: category, Subject: subject, Body: body, IP: ip, At: c.At}}, nil
}

func publicReply(s State, c PublicReply) ([]Event, error) {
	if err := firstErr(live(s, c.TicketID, c.At), checkID("author_id", c.AuthorID)); err != nil {
		return nil, err
	}
	if err := notClosed(s); err != nil {
		return nil, err
	}
	if !c.ByAgent && c.AuthorID != s.RequesterAccountID {
		return nil, fmt.Errorf("%w: you can reply only on tickets you opened", ErrNotYourTicket)
	}
	body, err := checkText("body", c.Body, MaxBodyLength, true)
	if err != nil {
		return nil, err
	}
	if len(s.Messages) >= MaxMessages {
		return nil, fmt.Errorf("%w: at most %d; please open a new ticket", ErrTooManyMessages, MaxMessages)
	}
	events := []Event{PublicReplyPosted{TicketID: s.ID, RequesterAccountID: s.RequesterAccountID, AuthorID: c.AuthorID, ByAgent: c.ByAgent, Body: body, At: c.At}}
	// The requester answering is what "pending" waits for, and a reply to a solved ticket
	// means it is not solved after all.
	if !c.ByAgent && (s.Status == StatusPending || s.Status == StatusSolved) {
		if err := transition(s, StatusOpen, c.At); err != nil {
			return nil, err
		}
		events = append(events, StatusChanged{TicketID: s.ID, From: s.Status, To: StatusOpen, By: c.AuthorID, At: c.At})
	}
	return events, nil
}

func internalNote(s State, c InternalNote) ([]Event, error) {
	if err := firstErr(live(s, c.TicketID, c.At), checkID("agent_id", c.AgentID)); err != nil {
		return nil, err
	}
	if err := notClosed(s); err != nil {
		return nil, err
	}
	body, err := checkText("body", c.Body, MaxBodyLength, true)
	if err != nil {
		return nil, err
	}
	if len(s.Messages) >= MaxMessages {
		return nil, fmt.Errorf("%w: at most %d", ErrTooManyMessages, MaxMessages)
	}
	return []Event{InternalNoteAdded{TicketID: s.ID, RequesterAccountID: s.RequesterAccountID, AgentID: c.AgentID, Body: body, At: c.At}}, nil
}

func assign(s State, c Assign) ([]Event, error) {
	if err := firstErr(live(s, c.TicketID, c.At), checkID("agent_id", c.AgentID), checkID("by", c.By)); err != nil {
		return nil, err
	}
	if err := notClosed(s); err != nil {
		return nil, err
	}
	if c.AgentID == s.AssigneeID {
		return nil, nil
	}
	return []Event{Assigned{TicketID: s.ID, AgentID: c.AgentID, By: c.By, At: c.At}}, nil
}

func setPriority(s State, c SetPriority) ([]Event, error) {
	if err := firstErr(live(s, c.TicketID, c.At), checkID("by", c.By)); err != nil {
		return nil, err
	}
	if err := notClosed(s); err != nil {
		return nil, err
	}
	p, err := ParsePriority(string(c.Priority))
	if err != nil {
		return nil, err
	}
	if p == s.Priority {
		return nil, nil
	}
	return []Event{PriorityChanged{TicketID: s.ID, From: s.Priority, To: p, By: c.By, At: c.At}}, nil
}

func changeStatus(s State, c ChangeStatus) ([]Event, error) {
	if err := firstErr(live(s, c.TicketID, c.At), checkID("by", c.By)); err != nil {
		return nil, err
	}
	to, err := ParseStatus(string(c.To))
	if err != nil {
		return nil, err
	}
	if s.Status == StatusClosed {
		return nil, fmt.Errorf("%w: from closed to %s: %w", ErrInvalidTransition, to, ErrTicketClosed)
	}
	if !c.ByAgent {
		if c.By != s.RequesterAccountID {
			return nil, fmt.Errorf("%w: you can change only tickets you opened", ErrNotYourTicket)
		}
		if to != StatusSolved {
			return nil, fmt.Errorf("%w: a requester can only mark their ticket solved, not %s", ErrAgentsOnly, to)
		}
	}
	if err := transition(s, to, c.At); err != nil {
		return nil, err
	}
	return []Event{StatusChanged{TicketID: s.ID, From: s.Status, To: to, By: c.By, At: c.At}}, nil
}

// closeSolved is the ordinary solved → closed step, recorded under the system actor that
// took it: closing is closing whoever does it, so every reader of StatusChanged (the read
// model, the timeline, the retention clock) already handles it.
func closeSolved(s State, c CloseSolved) ([]Event, error) {
	if err := firstErr(live(s, c.TicketID, c.At), checkID("by", c.By)); err != nil {
		return nil, err
	}
	if s.Status != StatusSolved || c.At.Sub(s.SolvedAt) <= ReopenWindow {
		return nil, nil
	}
	return []Event{StatusChanged{TicketID: s.ID, From: StatusSolved, To: StatusClosed, By: c.By, At: c.At}}, nil
}
