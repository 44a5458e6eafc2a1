package authz

import (
	"context"
	"time"

	"ledgerdesk/commands"
	"ledgerdesk/commands/support"
	"ledgerdesk/domain/ticket"
	psupport "ledgerdesk/projections/support"
)

// The support centre acts for support-site accounts, so for tickets an actor's subject is
// taken to be their support-site account id: a patient's or clinician's token is issued
// with the support account as its subject. The support service then checks that the
// account exists, is a support-site account and, for agents' work, an agent's.

// OpenSupportTicket raises a ticket with the actor as its requester.
func OpenSupportTicket(ctx context.Context, svc *support.Service, actor Actor, n support.NewTicket, meta commands.Metadata) (string, error) {
	if err := Authorize(actor, OpenTicket, Resource{OwnerID: actor.Subject}); err != nil {
		return "", err
	}
	meta.Actor = actor.Subject
	return svc.OpenTicket(ctx, n, meta)
}

// ReplyToSupportTicket posts a public reply: a requester on their own ticket, an agent on any.
func ReplyToSupportTicket(ctx context.Context, svc *support.Service, actor Actor, ticketID, body string, meta commands.Metadata) error {
	if err := authorizeOnTicket(ctx, svc, actor, ReplyToTicket, ticketID); err != nil {
		return err
	}
	meta.Actor = actor.Subject
	return svc.Reply(ctx, ticketID, body, meta)
}

// AddTicketNote adds an internal note (agents only); the requester never sees it.
func AddTicketNote(ctx context.Context, svc *support.Service, actor Actor, ticketID, body string, meta commands.Metadata) error {
	if err := Authorize(actor, WriteInternalNote, Resource{}); err != nil {
		return err
	}
	meta.Actor = actor.Subject
	return svc.AddNote(ctx, ticketID, body, meta)
}

// ChangeSupportTicketStatus moves a ticket on: agents through the transition table, the
// requester (on their own ticket) only to solved, as the ticket decides.
func ChangeSupportTicketStatus(ctx context.Context, svc *support.Service, actor Actor, ticketID string, to ticket.Status, meta commands.Metadata) error {
	if err := authorizeOnTicket(ctx, svc, actor, ChangeTicketStatus, ticketID); err != nil {
		return err
	}
	meta.Actor = actor.Subject
	return svc.ChangeStatus(ctx, ticketID, to, meta)
}

// authorizeOnTicket checks action on the ticket's requester. A role limited to its own
// tickets needs the ticket read first; a missing ticket is then not-found for everyone.
func authorizeOnTicket(ctx context.Context, svc *support.Service, actor Actor, action Action, ticketID string) error {
	if err := actor.Valid(); err != nil {
		return err
	}
	scope, ok := rules[action][actor.Role]
	if !ok || scope == Any {
		return Authorize(actor, action, Resource{})
	}
	t, err := svc.Ticket(ctx, ticketID)
	if err != nil {
		return err
	}
	return Authorize(actor, action, Resource{OwnerID: t.RequesterAccountID})
}

// MyTickets lists the actor's own tickets as a requester sees them.
func MyTickets(ctx context.Context, q psupport.Querier, actor Actor) ([]psupport.RequesterTicket, error) {
	if err := Authorize(actor, ReadTicket, Resource{OwnerID: actor.Subject}); err != nil {
		return nil, err
	}
	return psupport.RequesterTickets(ctx, q, actor.Subject)
}

// TicketForRequester is one ticket as its requester sees it: public replies, no internal
// notes. A requester's own only (another's reads as not found); any for roles that read
// every ticket.
func TicketForRequester(ctx context.Context, q psupport.Querier, actor Actor, ticketID string) (psupport.RequesterTicket, error) {
	if err := actor.Valid(); err != nil {
		return psupport.RequesterTicket{}, err
	}
	scope, ok := rules[ReadTicket][actor.Role]
	if !ok {
		return psupport.RequesterTicket{}, Authorize(actor, ReadTicket, Resource{})
	}
	requester := actor.Subject
	if scope == Any {
		t, err := psupport.AgentTicketView(ctx, q, ticketID, time.Time{})
		if err != nil {
			return psupport.RequesterTicket{}, err
		}
		requester = t.RequesterAccountID
	}
	return psupport.RequesterTicketView(ctx, q, requester, ticketID)
}

// TicketForAgent is a ticket with its internal notes and attachments: agents only.
func TicketForAgent(ctx context.Context, q psupport.Querier, actor Actor, ticketID string, now time.Time) (psupport.AgentTicket, error) {
	if err := Authorize(actor, ReadInternalNotes, Resource{}); err != nil {
		return psupport.AgentTicket{}, err
	}
	return psupport.AgentTicketView(ctx, q, ticketID, now)
}

// TicketQueue is the agents' queue, for roles that read every ticket.
func TicketQueue(ctx context.Context, q psupport.Querier, actor Actor, f psupport.QueueFilter) ([]psupport.QueueItem, error) {
	if err := Authorize(actor, ReadTicket, Resource{}); err != nil {
		return nil, err
	}
	return psupport.Queue(ctx, q, f)
}
