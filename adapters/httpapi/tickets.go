package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"ledgerdesk/app"
	"ledgerdesk/commands/support"
	"ledgerdesk/domain/ticket"
	psupport "ledgerdesk/projections/support"
)

// Support tickets. The support centre acts for support-site accounts, and the API takes a
// token's subject to be that account's id: a patient's or clinician's token for the
// support centre is issued with their support account id as subject (ledgerdesk tokens
// create --subject ACCOUNT_ID). A subject with no support account is refused (422). What
// a requester reads never holds internal notes: they get the requester view, and only the
// agents' endpoints under /api/v1/support show notes.

// TicketCommandResult is what a ticket command did.
type TicketCommandResult struct {
	TicketID      string `json:"ticket_id"`
	CommandID     string `json:"command_id"`
	CorrelationID string `json:"correlation_id"`
}

// TicketList is a requester's own tickets, newest first.
type TicketList struct {
	Tickets []psupport.RequesterTicket `json:"tickets"`
}

// TicketQueue is the agents' queue, most urgent first, then oldest.
type TicketQueue struct {
	Tickets []psupport.QueueItem `json:"tickets"`
}

type ticketOutput struct{ Body TicketCommandResult }

func (a *API) registerTickets() {
	if !a.cfg.App.HasSupport() {
		return
	}
	const tag = "support"
	type openInput struct {
		IdempotencyHeader
		Body struct {
			Category string `json:"category" enum:"login_trouble,blocked_ip,two_factor_reset,payments,equipment_test,account_details,other"`
			Subject  string `json:"subject" minLength:"1" maxLength:"200"`
			Body     string `json:"body" minLength:"1" maxLength:"20000"`
			IP       string `json:"ip,omitempty" maxLength:"45" doc:"The blocked IP address (required for blocked_ip)"`
		}
	}
	o := op(http.MethodPost, "/api/v1/tickets", "open-ticket", "Open a support ticket from your support-site account (rate limited per account; refused requests do not count)", tag, http.StatusCreated)
	o.Errors = append(o.Errors, http.StatusTooManyRequests)
	huma.Register(a.huma, o, func(ctx context.Context, in *openInput) (*ticketOutput, error) {
		actor, err := actorOf(ctx)
		if err != nil {
			return nil, err
		}
		// Only someone who may open a ticket spends a token: a refused role is told 403,
		// not made to wait.
		if err := app.MayOpenTicket(actor); err != nil {
			return nil, problemFor(err)
		}
		// A signed-in caller is limited per account, not per address: everyone behind one
		// address would otherwise share a limit. A replay of an idempotent request never
		// reaches here, so it costs nothing; a refused one gives its token back.
		tok, ok, wait := a.limits.ticket.take("account:" + actor.Subject)
		if !ok {
			return nil, rateLimited(wait, "new tickets")
		}
		call, err := callOf(ctx, nil)
		if err != nil {
			tok.refund()
			return nil, err
		}
		id, err := a.cfg.App.OpenTicket(ctx, call, support.NewTicket{
			Category: ticket.Category(in.Body.Category), Subject: in.Body.Subject, Body: in.Body.Body, IP: in.Body.IP})
		if err != nil {
			tok.refund()
			return nil, a.queryError(ctx, err)
		}
		return &ticketOutput{Body: TicketCommandResult{TicketID: id, CommandID: call.CommandID.String(), CorrelationID: call.CorrelationID.String()}}, nil
	})

	type replyInput struct {
		IdempotencyHeader
		ID   string `path:"id" maxLength:"128"`
		Body struct {
			Body string `json:"body" minLength:"1" maxLength:"20000"`
		}
	}
	huma.Register(a.huma, op(http.MethodPost, "/api/v1/tickets/{id}/replies", "reply-to-ticket",
		"Post a public reply: the requester on their own ticket, an agent on any", tag, http.StatusOK),
		func(ctx context.Context, in *replyInput) (*ticketOutput, error) {
			return a.ticketCommand(ctx, in.ID, func(call app.Call) error {
				return a.cfg.App.ReplyToTicket(ctx, call, in.ID, in.Body.Body)
			})
		})
	huma.Register(a.huma, op(http.MethodPost, "/api/v1/tickets/{id}/notes", "add-ticket-note",
		"Add an internal note, never shown to the requester (agents only)", tag, http.StatusOK),
		func(ctx context.Context, in *replyInput) (*ticketOutput, error) {
			return a.ticketCommand(ctx, in.ID, func(call app.Call) error {
				return a.cfg.App.AddTicketNote(ctx, call, in.ID, in.Body.Body)
			})
		})
	type statusInput struct {
		IdempotencyHeader
		ID   string `path:"id" maxLength:"128"`
		Body struct {
			Status string `json:"status" enum:"new,open,pending,on_hold,solved,closed" doc:"Agents move tickets through the life cycle; a requester may only mark their own ticket solved"`
		}
	}
	huma.Register(a.huma, op(http.MethodPost, "/api/v1/tickets/{id}/status", "change-ticket-status",
		"Move a ticket on: new → open → pending → on hold → solved → closed", tag, http.StatusOK),
		func(ctx context.Context, in *statusInput) (*ticketOutput, error) {
			return a.ticketCommand(ctx, in.ID, func(call app.Call) error {
				return a.cfg.App.ChangeTicketStatus(ctx, call, in.ID, ticket.Status(in.Body.Status))
			})
		})

	type listOutput struct{ Body TicketList }
	huma.Register(a.huma, op(http.MethodGet, "/api/v1/tickets", "list-my-tickets", "Your own tickets, newest first", tag, http.StatusOK),
		func(ctx context.Context, _ *struct{}) (*listOutput, error) {
			call, err := callOf(ctx, nil)
			if err != nil {
				return nil, err
			}
			ts, err := a.cfg.App.MyTickets(ctx, call)
			if err != nil {
				return nil, a.queryError(ctx, err)
			}
			out := &listOutput{}
			out.Body.Tickets = make([]psupport.RequesterTicket, 0, len(ts))
			for _, t := range ts {
				out.Body.Tickets = append(out.Body.Tickets, fillRequesterTicket(t))
			}
			return out, nil
		})
	type getInput struct {
		ID string `path:"id" maxLength:"128"`
	}
	type getOutput struct{ Body psupport.RequesterTicket }
	huma.Register(a.huma, op(http.MethodGet, "/api/v1/tickets/{id}", "get-ticket",
		"A ticket with its public conversation (never internal notes); a requester's own only", tag, http.StatusOK),
		func(ctx context.Context, in *getInput) (*getOutput, error) {
			call, err := callOf(ctx, nil)
			if err != nil {
				return nil, err
			}
			t, err := a.cfg.App.TicketForRequester(ctx, call, in.ID)
			if err != nil {
				return nil, a.queryError(ctx, err)
			}
			return &getOutput{Body: fillRequesterTicket(t)}, nil
		})

	type queueInput struct {
		Status   []string `query:"status" enum:"new,open,pending,on_hold,solved,closed" doc:"Default: the working statuses (new, open, pending, on hold)"`
		Category string   `query:"category" enum:"login_trouble,blocked_ip,two_factor_reset,payments,equipment_test,account_details,other,"`
		Limit    int      `query:"limit" minimum:"0" maximum:"1000"`
		Priority string   `query:"priority" enum:"low,normal,high,urgent,"`
		Assignee string   `query:"assignee" maxLength:"128" doc:"An agent's account id: their tickets only"`
		// Unassigned keeps the tickets nobody has taken.
		Unassigned bool `query:"unassigned"`
		OlderThan  int  `query:"older_than_hours" minimum:"0" maximum:"87600" doc:"Tickets opened at least this many hours ago"`
	}
	type queueOutput struct{ Body TicketQueue }
	huma.Register(a.huma, op(http.MethodGet, "/api/v1/support/queue", "ticket-queue", "The agents' ticket queue: most urgent first, then oldest", tag, http.StatusOK),
		func(ctx context.Context, in *queueInput) (*queueOutput, error) {
			call, err := callOf(ctx, nil)
			if err != nil {
				return nil, err
			}
			f := psupport.QueueFilter{Category: ticket.Category(in.Category), Limit: in.Limit, Now: a.now(),
				Priority: ticket.Priority(in.Priority), AssigneeID: in.Assignee, Unassigned: in.Unassigned, OlderThan: time.Duration(in.OlderThan) * time.Hour}
			for _, s := range in.Status {
				f.Statuses = append(f.Statuses, ticket.Status(s))
			}
			items, err := a.cfg.App.TicketQueue(ctx, call, f)
			if err != nil {
				return nil, a.queryError(ctx, err)
			}
			out := &queueOutput{}
			out.Body.Tickets = items
			if items == nil {
				out.Body.Tickets = []psupport.QueueItem{}
			}
			return out, nil
		})
	type agentOutput struct{ Body psupport.AgentTicket }
	huma.Register(a.huma, op(http.MethodGet, "/api/v1/support/tickets/{id}", "get-ticket-for-agent",
		"A ticket with everything agents see: replies, internal notes, attachments (agents only)", tag, http.StatusOK),
		func(ctx context.Context, in *getInput) (*agentOutput, error) {
			call, err := callOf(ctx, nil)
			if err != nil {
				return nil, err
			}
			t, err := a.cfg.App.TicketForAgent(ctx, call, in.ID)
			if err != nil {
				return nil, a.queryError(ctx, err)
			}
			if t.Replies == nil {
				t.Replies = []psupport.AgentReply{}
			}
			if t.Notes == nil {
				t.Notes = []psupport.Note{}
			}
			if t.Attachments == nil {
				t.Attachments = []psupport.AgentDocument{}
			}
			return &agentOutput{Body: t}, nil
		})
}

// ticketCommand runs a ticket command for the signed-in caller and shapes the answer.
func (a *API) ticketCommand(ctx context.Context, ticketID string, run func(app.Call) error) (*ticketOutput, error) {
	call, err := callOf(ctx, nil)
	if err != nil {
		return nil, err
	}
	if err := run(call); err != nil {
		return nil, a.queryError(ctx, err)
	}
	return &ticketOutput{Body: TicketCommandResult{TicketID: ticketID, CommandID: call.CommandID.String(), CorrelationID: call.CorrelationID.String()}}, nil
}

// fillRequesterTicket makes empty lists empty arrays, as the document promises.
func fillRequesterTicket(t psupport.RequesterTicket) psupport.RequesterTicket {
	if t.Replies == nil {
		t.Replies = []psupport.Reply{}
	}
	if t.Documents == nil {
		t.Documents = []psupport.RequesterDocument{}
	}
	return t
}
