package app

import (
	"context"
	"time"

	"ledgerdesk/app/authz"
	"ledgerdesk/commands"
	"ledgerdesk/commands/support"
	"ledgerdesk/domain/ticket"
	psupport "ledgerdesk/projections/support"
)

// The support centre acts for support-site accounts, so on tickets an actor's subject is
// their support-site account id. The support service then checks that the account exists,
// is a support-site account and, for agents' work, an agent's.

var (
	requesters = []authz.Role{authz.Patient, authz.Clinician}
	agents     = authz.Rule{authz.SupportAgent: authz.Any, authz.ITSupport: authz.Any}

	readTicket = declare(query("ticket.read", authz.Rule{authz.Patient: authz.Self, authz.Clinician: authz.Self,
		authz.SupportAgent: authz.Any, authz.ITSupport: authz.Any, authz.Accounts: authz.Self, authz.Auditor: authz.Any, authz.Admin: authz.Any}))
	openTicket = declare(command("ticket.open", authz.Rule{authz.Patient: authz.Self, authz.Clinician: authz.Self,
		authz.SupportAgent: authz.Any, authz.ITSupport: authz.Any, authz.Accounts: authz.Self, authz.Admin: authz.Any}))
	replyToTicket      = declare(command("ticket.reply", withRequesters(agents, authz.Self)))
	readInternalNotes  = declare(query("ticket.internal_notes.read", agents))
	writeInternalNote  = declare(command("ticket.internal_notes.write", agents))
	changeTicketStatus = declare(command("ticket.status.change", withRequesters(agents, authz.Self)))
)

func withRequesters(r authz.Rule, scope authz.Scope) authz.Rule {
	out := authz.Rule{}
	for role, s := range r {
		out[role] = s
	}
	for _, role := range requesters {
		out[role] = scope
	}
	return out
}

func (a *App) support() (*support.Service, error) {
	if a.cfg.Support == nil {
		return nil, ErrNotConfigured
	}
	return a.cfg.Support, nil
}

// MayOpenTicket says whether the caller may open a ticket at all, before anything is spent
// on it (a rate-limit token).
func MayOpenTicket(actor authz.Actor) error {
	return openTicket.Rule.Check(actor, openTicket.Action, authz.Resource{OwnerID: actor.Subject})
}

// OpenTicket raises a ticket with the caller as its requester.
func (a *App) OpenTicket(ctx context.Context, call Call, n support.NewTicket) (string, error) {
	return run(ctx, a, call, openTicket, func(ctx context.Context, r *Request) (string, error) {
		svc, err := a.support()
		if err != nil {
			return "", err
		}
		if err := r.Authorize(authz.Resource{OwnerID: r.Actor.Subject}); err != nil {
			return "", err
		}
		return svc.OpenTicket(ctx, n, r.Meta)
	})
}

// ReplyToTicket posts a public reply: a requester on their own ticket, an agent on any.
func (a *App) ReplyToTicket(ctx context.Context, call Call, ticketID, body string) error {
	return a.onTicket(ctx, call, replyToTicket, ticketID, func(ctx context.Context, svc *support.Service, r *Request) error {
		return svc.Reply(ctx, ticketID, body, r.Meta)
	})
}

// AddTicketNote adds an internal note (agents only); the requester never sees it.
func (a *App) AddTicketNote(ctx context.Context, call Call, ticketID, body string) error {
	return a.onTicket(ctx, call, writeInternalNote, ticketID, func(ctx context.Context, svc *support.Service, r *Request) error {
		return svc.AddNote(ctx, ticketID, body, r.Meta)
	})
}

// ChangeTicketStatus moves a ticket on: agents through the transition table, the
// requester (on their own ticket) only to solved, as the ticket decides.
func (a *App) ChangeTicketStatus(ctx context.Context, call Call, ticketID string, to ticket.Status) error {
	return a.onTicket(ctx, call, changeTicketStatus, ticketID, func(ctx context.Context, svc *support.Service, r *Request) error {
		return svc.ChangeStatus(ctx, ticketID, to, r.Meta)
	})
}

// CloseSolvedTicket closes a ticket solved more than ticket.ReopenWindow ago, recorded
// under the caller (a system actor: authz.PolicyActor), and says whether it did now. A
// ticket not due is left alone without error; call.CommandID, derived by the caller, makes
// a repeated run a replay.
func (a *App) CloseSolvedTicket(ctx context.Context, call Call, ticketID string) (bool, error) {
	closed := false
	err := a.TicketStep(ctx, call, "ticket.close_solved", ticketID, func(ctx context.Context, svc *support.Service, meta commands.Metadata) error {
		var err error
		closed, err = svc.CloseSolved(ctx, ticketID, meta)
		return err
	})
	return closed, err
}

// onTicket runs a ticket command after checking the rule on the ticket's requester. A role
// limited to its own tickets needs the ticket read first; a missing ticket is then not
// found for everyone.
func (a *App) onTicket(ctx context.Context, call Call, spec Spec, ticketID string, f func(context.Context, *support.Service, *Request) error) error {
	_, err := run(ctx, a, call, spec, func(ctx context.Context, r *Request) (struct{}, error) {
		svc, err := a.support()
		if err != nil {
			return struct{}{}, err
		}
		if r.Scoped() {
			t, err := svc.Ticket(ctx, ticketID)
			if err != nil {
				return struct{}{}, err
			}
			if err := r.Authorize(authz.Resource{OwnerID: t.RequesterAccountID}); err != nil {
				return struct{}{}, err
			}
		}
		return struct{}{}, f(ctx, svc, r)
	})
	return err
}

// MyTickets lists the caller's own tickets as a requester sees them.
func (a *App) MyTickets(ctx context.Context, call Call) ([]psupport.RequesterTicket, error) {
	return run(ctx, a, call, readTicket, func(ctx context.Context, r *Request) ([]psupport.RequesterTicket, error) {
		if err := r.Authorize(authz.Resource{OwnerID: r.Actor.Subject}); err != nil {
			return nil, err
		}
		return psupport.RequesterTickets(ctx, a.cfg.DB, r.Actor.Subject)
	})
}

// TicketForRequester is one ticket as its requester sees it: public replies, no internal
// notes. A requester's own only (another's reads as not found); any, for roles that read
// every ticket.
func (a *App) TicketForRequester(ctx context.Context, call Call, ticketID string) (psupport.RequesterTicket, error) {
	return run(ctx, a, call, readTicket, func(ctx context.Context, r *Request) (psupport.RequesterTicket, error) {
		requester := r.Actor.Subject
		if !r.Scoped() {
			t, err := psupport.AgentTicketView(ctx, a.cfg.DB, ticketID, time.Time{})
			if err != nil {
				return psupport.RequesterTicket{}, err
			}
			requester = t.RequesterAccountID
		}
		// Reading the requester's own view is the ownership check: another's ticket is not
		// in it, and reads as not found.
		if err := r.Authorize(authz.Resource{OwnerID: requester}); err != nil {
			return psupport.RequesterTicket{}, err
		}
		return psupport.RequesterTicketView(ctx, a.cfg.DB, requester, ticketID)
	})
}

// TicketForAgent is a ticket with its internal notes and attachments: agents only.
func (a *App) TicketForAgent(ctx context.Context, call Call, ticketID string) (psupport.AgentTicket, error) {
	return run(ctx, a, call, readInternalNotes, func(ctx context.Context, r *Request) (psupport.AgentTicket, error) {
		return psupport.AgentTicketView(ctx, a.cfg.DB, ticketID, r.Now)
	})
}

// TicketQueue is the agents' queue, for roles that read every ticket.
func (a *App) TicketQueue(ctx context.Context, call Call, f psupport.QueueFilter) ([]psupport.QueueItem, error) {
	return run(ctx, a, call, readTicket, func(ctx context.Context, r *Request) ([]psupport.QueueItem, error) {
		if err := r.Authorize(authz.Resource{}); err != nil {
			return nil, err
		}
		return psupport.Queue(ctx, a.cfg.DB, f)
	})
}
