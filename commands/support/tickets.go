package support

import (
	"context"
	"fmt"

	"ledgerdesk/commands"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/ticket"
)

// NewTicket is what a requester fills in. IP is required for a blocked_ip ticket.
type NewTicket struct {
	Category ticket.Category
	Subject  string
	Body     string
	IP       string
}

// OpenTicket raises a ticket from the actor's support-site account and returns its id
// (derived from the command id, so a retry opens nothing new).
func (s *Service) OpenTicket(ctx context.Context, n NewTicket, meta commands.Metadata) (string, error) {
	a, err := s.actor(ctx, meta)
	if err != nil {
		return "", err
	}
	if a.Realm != account.RealmSupport {
		return "", fmt.Errorf("%w: register on the support site first; it is separate from the portal", ErrNotSupportAccount)
	}
	id := derivedID(meta, "ticket")
	_, err = s.execTicket(ctx, ticket.Open{TicketID: id, RequesterAccountID: a.ID, Category: n.Category, Subject: n.Subject, Body: n.Body, IP: n.IP, At: s.Now()}, meta)
	if err != nil {
		return "", err
	}
	return id, nil
}

// supportActor loads the actor and requires a support-site account; agent says whether it
// is an agent, which is what ByAgent in the ticket commands means.
func (s *Service) supportActor(ctx context.Context, meta commands.Metadata) (agent bool, err error) {
	a, err := s.actor(ctx, meta)
	if err != nil {
		return false, err
	}
	if a.Realm != account.RealmSupport {
		return false, fmt.Errorf("%w: this is a %s account", ErrNotSupportAccount, a.Realm)
	}
	return IsAgent(a), nil
}

// Reply posts a public reply: an agent's, or the requester's own on their ticket.
func (s *Service) Reply(ctx context.Context, ticketID, body string, meta commands.Metadata) error {
	agent, err := s.supportActor(ctx, meta)
	if err != nil {
		return err
	}
	_, err = s.execTicket(ctx, ticket.PublicReply{TicketID: ticketID, AuthorID: meta.Actor, ByAgent: agent, Body: body, At: s.Now()}, meta)
	return err
}

// AddNote adds an internal note, which the requester never sees; agents only.
func (s *Service) AddNote(ctx context.Context, ticketID, body string, meta commands.Metadata) error {
	if _, err := s.agent(ctx, meta); err != nil {
		return err
	}
	_, err := s.execTicket(ctx, ticket.InternalNote{TicketID: ticketID, AgentID: meta.Actor, Body: body, At: s.Now()}, meta)
	return err
}

// Assign hands the ticket to an agent (an agent may take it themselves); agents only.
func (s *Service) Assign(ctx context.Context, ticketID, agentID string, meta commands.Metadata) error {
	if _, err := s.agent(ctx, meta); err != nil {
		return err
	}
	assignee, err := s.loadAccount(ctx, agentID)
	if err != nil {
		return err
	}
	if !IsAgent(assignee) {
		return fmt.Errorf("%w: field agent_id: tickets are assigned to support agents only", ticket.ErrAgentsOnly)
	}
	_, err = s.execTicket(ctx, ticket.Assign{TicketID: ticketID, AgentID: agentID, By: meta.Actor, At: s.Now()}, meta)
	return err
}

// SetPriority moves the ticket in the queue; agents only.
func (s *Service) SetPriority(ctx context.Context, ticketID string, p ticket.Priority, meta commands.Metadata) error {
	if _, err := s.agent(ctx, meta); err != nil {
		return err
	}
	_, err := s.execTicket(ctx, ticket.SetPriority{TicketID: ticketID, Priority: p, By: meta.Actor, At: s.Now()}, meta)
	return err
}

// ChangeStatus moves the ticket on: agents through the transition table, the requester
// only to solved, and only on their own ticket.
func (s *Service) ChangeStatus(ctx context.Context, ticketID string, to ticket.Status, meta commands.Metadata) error {
	agent, err := s.supportActor(ctx, meta)
	if err != nil {
		return err
	}
	_, err = s.execTicket(ctx, ticket.ChangeStatus{TicketID: ticketID, To: to, By: meta.Actor, ByAgent: agent, At: s.Now()}, meta)
	return err
}

// Ticket is a ticket's current state, from its stream, for the agents' screens and the
// policies. Requester-facing code must use its RequesterView.
func (s *Service) Ticket(ctx context.Context, ticketID string) (ticket.State, error) {
	return s.openedTicket(ctx, ticketID)
}

func (s *Service) openedTicket(ctx context.Context, ticketID string) (ticket.State, error) {
	t, err := s.loadTicket(ctx, ticketID)
	if err != nil {
		return t, err
	}
	if !t.Opened() {
		return t, fmt.Errorf("%w: %s", ticket.ErrTicketNotFound, ticketID)
	}
	return t, nil
}

// CloseSolved closes the ticket if it was solved more than ticket.ReopenWindow ago, as
// meta's actor (the auto-close sweep, a system actor: no support-site account), and says
// whether it did now (a replayed command id closed it before). A ticket not due is left
// alone without error.
func (s *Service) CloseSolved(ctx context.Context, ticketID string, meta commands.Metadata) (bool, error) {
	if err := checkMeta(meta); err != nil {
		return false, err
	}
	res, err := s.execTicket(ctx, ticket.CloseSolved{TicketID: ticketID, By: meta.Actor, At: s.Now()}, meta)
	if err != nil {
		return false, err
	}
	return len(res.Events) > 0 && !res.Replayed, nil
}
