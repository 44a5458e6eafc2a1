package httpapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"ledgerdesk/app"
	"ledgerdesk/domain/ticket"
	psupport "ledgerdesk/projections/support"
)

// TicketTimeline is a ticket's audit trail, in the order it happened.
type TicketTimeline struct {
	TicketID string                   `json:"ticket_id"`
	Entries  []psupport.TimelineEntry `json:"entries"`
}

// AgentList is who a ticket can be assigned to.
type AgentList struct {
	Agents []psupport.Agent `json:"agents"`
}

// registerStaff is what the staff workspace's pages do that the API must also do:
// assign a ticket, set its priority, read its audit timeline and the agents to assign to.
// Same operations, same rules: the pages and these endpoints both go through app.
func (a *API) registerStaff() {
	if !a.cfg.App.HasSupport() {
		return
	}
	const tag = "support"
	type assignInput struct {
		IdempotencyHeader
		ID   string `path:"id" maxLength:"128"`
		Body struct {
			AgentID string `json:"agent_id" minLength:"1" maxLength:"128" doc:"The support-site agent account to assign the ticket to (your own for \"assign to me\")"`
		}
	}
	huma.Register(a.huma, op(http.MethodPost, "/api/v1/support/tickets/{id}/assignment", "assign-ticket",
		"Assign a ticket to a support agent (agents only)", tag, http.StatusOK),
		func(ctx context.Context, in *assignInput) (*ticketOutput, error) {
			return a.ticketCommand(ctx, in.ID, func(call app.Call) error {
				return a.cfg.App.AssignTicket(ctx, call, in.ID, in.Body.AgentID)
			})
		})
	type priorityInput struct {
		IdempotencyHeader
		ID   string `path:"id" maxLength:"128"`
		Body struct {
			Priority string `json:"priority" enum:"low,normal,high,urgent"`
		}
	}
	huma.Register(a.huma, op(http.MethodPost, "/api/v1/support/tickets/{id}/priority", "set-ticket-priority",
		"Set a ticket's priority: the queue shows the most urgent first (agents only)", tag, http.StatusOK),
		func(ctx context.Context, in *priorityInput) (*ticketOutput, error) {
			return a.ticketCommand(ctx, in.ID, func(call app.Call) error {
				return a.cfg.App.SetTicketPriority(ctx, call, in.ID, ticket.Priority(in.Body.Priority))
			})
		})
	type getInput struct {
		ID string `path:"id" maxLength:"128"`
	}
	type timelineOutput struct{ Body TicketTimeline }
	huma.Register(a.huma, op(http.MethodGet, "/api/v1/support/tickets/{id}/timeline", "ticket-timeline",
		"A ticket's audit timeline: every event of it, in words, internal ones marked (agents only)", tag, http.StatusOK),
		func(ctx context.Context, in *getInput) (*timelineOutput, error) {
			call, err := callOf(ctx, nil)
			if err != nil {
				return nil, err
			}
			if _, err := a.cfg.App.TicketForAgent(ctx, call, in.ID); err != nil {
				return nil, a.queryError(ctx, err)
			}
			es, err := a.cfg.App.TicketTimeline(ctx, call, in.ID)
			if err != nil {
				return nil, a.queryError(ctx, err)
			}
			out := &timelineOutput{Body: TicketTimeline{TicketID: in.ID, Entries: es}}
			if es == nil {
				out.Body.Entries = []psupport.TimelineEntry{}
			}
			return out, nil
		})
	type agentsOutput struct{ Body AgentList }
	huma.Register(a.huma, op(http.MethodGet, "/api/v1/support/agents", "list-support-agents",
		"The support agents a ticket can be assigned to (agents only)", tag, http.StatusOK),
		func(ctx context.Context, _ *struct{}) (*agentsOutput, error) {
			call, err := callOf(ctx, nil)
			if err != nil {
				return nil, err
			}
			as, err := a.cfg.App.SupportAgents(ctx, call)
			if err != nil {
				return nil, a.queryError(ctx, err)
			}
			out := &agentsOutput{Body: AgentList{Agents: as}}
			if as == nil {
				out.Body.Agents = []psupport.Agent{}
			}
			return out, nil
		})
}
