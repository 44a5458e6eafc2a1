package app

import (
	"context"

	"ledgerdesk/app/authz"
	"ledgerdesk/commands/support"
	"ledgerdesk/domain/ticket"
	psupport "ledgerdesk/projections/support"
)

// The staff workspace: the pages support agents and IT support work tickets from, and the
// API endpoints behind them. Assigning and setting priority are the support steps
// ticket.assign and ticket.set_priority (support.go); what is declared here is entering
// the workspace and listing who can be assigned (the timeline is TicketTimeline).
var (
	enterStaffWorkspace = declare(query("staff.workspace.enter", agents))
	listSupportAgents   = declare(query("support.agents.list", agents))
)

// EnterStaffWorkspace admits the caller to the staff pages: a staff role, acting from a
// support-site agent's account that has two-factor on (support.CheckStaffSession). Every
// staff page asks this first, so the check is made here once, not in templates.
func (a *App) EnterStaffWorkspace(ctx context.Context, call Call) error {
	_, err := run(ctx, a, call, enterStaffWorkspace, func(ctx context.Context, r *Request) (struct{}, error) {
		svc, err := a.support()
		if err != nil {
			return struct{}{}, err
		}
		if err := r.Authorize(authz.Resource{}); err != nil {
			return struct{}{}, err
		}
		acc, err := svc.Account(ctx, r.Actor.Subject)
		if err != nil {
			return struct{}{}, err
		}
		return struct{}{}, support.CheckStaffSession(acc)
	})
	return err
}

// AssignTicket hands a ticket to an agent (the caller themselves, for "assign to me").
func (a *App) AssignTicket(ctx context.Context, call Call, ticketID, agentID string) error {
	return a.onTicket(ctx, call, supportSteps["ticket.assign"], ticketID, func(ctx context.Context, svc *support.Service, r *Request) error {
		return svc.Assign(ctx, ticketID, agentID, r.Meta)
	})
}

// SetTicketPriority moves a ticket up or down the queue.
func (a *App) SetTicketPriority(ctx context.Context, call Call, ticketID string, p ticket.Priority) error {
	return a.onTicket(ctx, call, supportSteps["ticket.set_priority"], ticketID, func(ctx context.Context, svc *support.Service, r *Request) error {
		return svc.SetPriority(ctx, ticketID, p, r.Meta)
	})
}

// SupportAgents lists the agents a ticket can be assigned to.
func (a *App) SupportAgents(ctx context.Context, call Call) ([]psupport.Agent, error) {
	return run(ctx, a, call, listSupportAgents, func(ctx context.Context, r *Request) ([]psupport.Agent, error) {
		return psupport.Agents(ctx, a.cfg.DB)
	})
}
