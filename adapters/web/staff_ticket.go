package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"ledgerdesk/app"
	"ledgerdesk/domain/ticket"
	psupport "ledgerdesk/projections/support"
)

// workspaceData is one ticket as staff work it.
type workspaceData struct {
	T                                                       psupport.AgentTicket
	CategoryLabel, StatusLabel, PriorityLabel, AssigneeName string
	Mine                                                    bool
	// RequesterName and RequesterEmail are who raised the ticket, for the agents.
	RequesterName, RequesterEmail            string
	Thread                                   []threadItem
	Timeline                                 []timelineRow
	Agents, Priorities, NextStatuses, Canned []option
	// Blocked is a blocked-IP ticket's address and the accounts that refuse it.
	Blocked *app.BlockedIPCase
	// Reply and Note are what was typed, kept when a form is refused.
	Reply, Note string
	MaxBody     int
}

// threadItem is one message of the conversation: the opening description, a public reply,
// or an internal note, which the page sets apart in words and in colour.
type threadItem struct {
	Internal, FromRequester bool
	Author, Body            string
	At                      time.Time
}

type timelineRow struct {
	At                time.Time
	Who, What, Detail string
	Internal          bool
}

// workspace loads a ticket and everything its page shows.
func (s *Site) workspace(ctx context.Context, call app.Call, ticketID string) (workspaceData, error) {
	t, err := s.cfg.App.TicketForAgent(ctx, call, ticketID)
	if err != nil {
		return workspaceData{}, err
	}
	tl, err := s.cfg.App.TicketTimeline(ctx, call, ticketID)
	if err != nil {
		return workspaceData{}, err
	}
	agents, names, err := s.agentNames(ctx, call)
	if err != nil {
		return workspaceData{}, err
	}
	who := func(id string) string {
		switch {
		case id == call.Actor.Subject:
			return "You"
		case id == t.RequesterAccountID:
			return "The requester"
		case names[id] != "":
			return names[id]
		case strings.HasPrefix(id, "policy:"):
			return "The system"
		}
		return "Someone else"
	}
	d := workspaceData{T: t, CategoryLabel: categoryLabel(t.Category), StatusLabel: staffStatusLabels[t.Status],
		PriorityLabel: priorityLabels[t.Priority], Mine: t.AssigneeID == call.Actor.Subject, MaxBody: ticket.MaxBodyLength}
	if t.AssigneeID != "" {
		d.AssigneeName = who(t.AssigneeID)
	}
	// The requester's account, once the accounts read model has it.
	if acc, err := s.cfg.App.SupportAccount(ctx, call, t.RequesterAccountID); err == nil {
		d.RequesterName, d.RequesterEmail = acc.Account.Name, acc.Account.Email
	} else if app.ClassOf(err) != app.NotFound {
		return workspaceData{}, err
	}
	d.Thread = append(d.Thread, threadItem{FromRequester: true, Author: "The requester", Body: t.Body, At: t.OpenedAt})
	for _, rp := range t.Replies {
		d.Thread = append(d.Thread, threadItem{FromRequester: !rp.ByAgent, Author: who(rp.AuthorID), Body: rp.Body, At: rp.At})
	}
	for _, n := range t.Notes {
		d.Thread = append(d.Thread, threadItem{Internal: true, Author: who(n.AgentID), Body: n.Body, At: n.At})
	}
	sort.SliceStable(d.Thread, func(i, j int) bool { return d.Thread[i].At.Before(d.Thread[j].At) })
	// The read model's summaries name people by account id: name them in words here.
	var ids []string
	for id, name := range names {
		ids = append(ids, id, name)
	}
	ids = append(ids, t.RequesterAccountID, "the requester")
	named := strings.NewReplacer(ids...)
	for _, e := range tl {
		d.Timeline = append(d.Timeline, timelineRow{At: e.At, Who: who(e.Actor), What: named.Replace(e.Summary), Detail: named.Replace(e.Detail), Internal: e.Internal})
	}
	d.Agents = append(d.Agents, option{Value: "me", Label: "Me", Selected: d.Mine || t.AssigneeID == ""})
	for _, a := range agents {
		if a.AccountID != call.Actor.Subject {
			d.Agents = append(d.Agents, option{Value: a.AccountID, Label: a.Name, Selected: a.AccountID == t.AssigneeID})
		}
	}
	for _, p := range priorityOrder {
		d.Priorities = append(d.Priorities, option{Value: string(p), Label: priorityLabels[p], Selected: p == t.Priority})
	}
	for _, st := range ticket.Transitions[t.Status] {
		d.NextStatuses = append(d.NextStatuses, option{Value: string(st), Label: staffStatusLabels[st]})
	}
	for _, c := range cannedReplies {
		d.Canned = append(d.Canned, option{Value: c.Slug, Label: c.Title})
	}
	if t.Category == ticket.CategoryBlockedIP && t.IP != "" {
		c, err := s.cfg.App.BlockedIPForTicket(ctx, call, ticketID)
		if err != nil {
			return workspaceData{}, err
		}
		d.Blocked = &c
	}
	return d, nil
}

func (s *Site) staffTicket(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	d, err := s.workspace(r.Context(), s.call(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	if c, ok := cannedBySlug(q.Get("canned")); ok {
		d.Reply = c.Body
		for i := range d.Canned {
			d.Canned[i].Selected = d.Canned[i].Value == c.Slug
		}
	}
	v := view{Title: d.T.Subject, Nav: "staff", Data: d}
	v.Notice = map[string]string{
		"assigned": "The ticket is assigned.", "replied": "Your reply has been sent to the requester.",
		"noted": "Your internal note has been added. The requester cannot see it.", "priority": "The priority has been changed.",
		"status": "The status has been changed.", "unblocked": "The address is unblocked for that account: its holder can log in from it again.",
	}[q.Get("done")]
	s.render(w, r, http.StatusOK, "staff_ticket", v)
}

// staffAction is one of the workspace's forms: it reads the form, runs the operation,
// and on success waits (briefly) for the read model to show the change before going back
// to the ticket; a refusal shows the ticket again with the message beside the field and
// what was typed still there.
type staffAction struct {
	done   string
	fields map[string]formField
	run    func(ctx context.Context, call app.Call, ticketID string, form map[string]string) error
	// shown says the read model has the change.
	shown func(before, now psupport.AgentTicket) bool
	// keep puts what was typed back into the form.
	keep func(d *workspaceData, form map[string]string)
}

func (s *Site) staffPost(a staffAction) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		call := s.call(r)
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		form := map[string]string{}
		var errs fieldErrors
		if err := r.ParseForm(); err != nil {
			for _, f := range a.fields {
				errs = fieldErrors{{f.id, fmt.Sprintf("The form is too large: a message is at most %d characters.", ticket.MaxBodyLength)}}
				break
			}
		} else {
			for k := range r.PostForm {
				form[k] = r.PostForm.Get(k)
			}
		}
		before, err := s.cfg.App.TicketForAgent(r.Context(), call, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if errs == nil {
			err = a.run(r.Context(), call, id, form)
			if err == nil {
				s.waitShown(r.Context(), call, id, before, a.shown)
				if form["back"] == "queue" {
					// The queue's own assign forms go back to the queue.
					http.Redirect(w, r, "/staff/queue?done="+a.done, http.StatusSeeOther)
					return
				}
				http.Redirect(w, r, "/staff/tickets/"+id+"?done="+a.done, http.StatusSeeOther)
				return
			}
			if errs = staffFormErrors(err, a.fields); errs == nil {
				s.fail(w, r, err)
				return
			}
		}
		d, lerr := s.workspace(r.Context(), call, id)
		if lerr != nil {
			s.fail(w, r, lerr)
			return
		}
		if a.keep != nil {
			a.keep(&d, form)
		}
		s.render(w, r, http.StatusUnprocessableEntity, "staff_ticket", view{Title: d.T.Subject, Nav: "staff", Errors: errs, Data: d})
	}
}

// staffFormErrors is the message beside the field a refusal is about, for the refusals an
// agent can put right; nil for anything else.
func staffFormErrors(err error, fields map[string]formField) fieldErrors {
	if errs := formErrors(err, fields); errs != nil {
		return errs
	}
	if f, ok := fields["status"]; ok && (errors.Is(err, ticket.ErrInvalidTransition) || errors.Is(err, ticket.ErrReopenWindowPassed) || errors.Is(err, ticket.ErrTicketClosed)) {
		msg := "That status change is not allowed from the ticket's current status: choose one of those listed."
		if errors.Is(err, ticket.ErrReopenWindowPassed) {
			msg = "A ticket solved more than 7 days ago cannot be reopened: the requester opens a new one."
		}
		return fieldErrors{{f.id, msg}}
	}
	if f, ok := fields["account_id"]; ok && (errors.Is(err, app.ErrNotBlocking) || errors.Is(err, app.ErrNoBlockedIP)) {
		return fieldErrors{{f.id, "Nothing to unblock: " + err.Error() + " (it may have been unblocked already)."}}
	}
	if f, ok := fields["agent_id"]; ok && errors.Is(err, ticket.ErrAgentsOnly) {
		return fieldErrors{{f.id, "Tickets can be assigned to support agents only."}}
	}
	if f, ok := fields["body"]; ok && (app.ClassOf(err) == app.Invalid || errors.Is(err, ticket.ErrTooManyMessages)) {
		return fieldErrors{{f.id, "That could not be added: " + err.Error() + "."}}
	}
	return nil
}

// waitShown waits, at most the site's Fresh, for the read model to show a change just
// made, so the page that follows shows it.
func (s *Site) waitShown(ctx context.Context, call app.Call, id string, before psupport.AgentTicket, shown func(before, now psupport.AgentTicket) bool) {
	if shown == nil {
		return
	}
	for deadline := s.cfg.Now().Add(s.cfg.Fresh); s.cfg.Now().Before(deadline); {
		now, err := s.cfg.App.TicketForAgent(ctx, call, id)
		if err != nil || shown(before, now) {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (s *Site) staffActions() map[string]staffAction {
	return map[string]staffAction{
		"reply": {done: "replied", fields: map[string]formField{"body": {"reply-body", "Reply"}},
			run: func(ctx context.Context, call app.Call, id string, f map[string]string) error {
				return s.cfg.App.ReplyToTicket(ctx, call, id, f["body"])
			},
			shown: func(b, n psupport.AgentTicket) bool { return len(n.Replies) > len(b.Replies) },
			keep:  func(d *workspaceData, f map[string]string) { d.Reply = f["body"] }},
		"note": {done: "noted", fields: map[string]formField{"body": {"note-body", "Internal note"}},
			run: func(ctx context.Context, call app.Call, id string, f map[string]string) error {
				return s.cfg.App.AddTicketNote(ctx, call, id, f["body"])
			},
			shown: func(b, n psupport.AgentTicket) bool { return len(n.Notes) > len(b.Notes) },
			keep:  func(d *workspaceData, f map[string]string) { d.Note = f["body"] }},
		"assign": {done: "assigned", fields: map[string]formField{"agent_id": {"agent", "Assign to"}},
			run: func(ctx context.Context, call app.Call, id string, f map[string]string) error {
				agent := f["agent_id"]
				if agent == "me" || agent == "" {
					agent = call.Actor.Subject
				}
				return s.cfg.App.AssignTicket(ctx, call, id, agent)
			},
			shown: func(b, n psupport.AgentTicket) bool {
				return n.UpdatedAt.After(b.UpdatedAt) || n.AssigneeID != b.AssigneeID
			}},
		"priority": {done: "priority", fields: map[string]formField{"priority": {"priority", "Priority"}},
			run: func(ctx context.Context, call app.Call, id string, f map[string]string) error {
				p, err := ticket.ParsePriority(f["priority"])
				if err != nil {
					return err
				}
				return s.cfg.App.SetTicketPriority(ctx, call, id, p)
			},
			shown: func(b, n psupport.AgentTicket) bool {
				return n.Priority != b.Priority || n.UpdatedAt.After(b.UpdatedAt)
			}},
		"unblock": {done: "unblocked", fields: map[string]formField{"account_id": {"blocked-title", "Unblock"}},
			run: func(ctx context.Context, call app.Call, id string, f map[string]string) error {
				if err := s.cfg.App.UnblockIPForTicket(ctx, call, id, f["account_id"]); err != nil {
					return err
				}
				// The page lists the accounts from their read model: wait (briefly) until it
				// no longer lists this one, so the agent sees what they did.
				for deadline := time.Now().Add(s.cfg.Fresh); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
					c, err := s.cfg.App.BlockedIPForTicket(ctx, call, id)
					if err != nil || !blocks(c, f["account_id"]) {
						break
					}
				}
				return nil
			},
			// The ticket itself does not change; the accounts read model does.
			shown: func(b, n psupport.AgentTicket) bool { return true }},
		"status": {done: "status", fields: map[string]formField{"status": {"status", "New status"}},
			run: func(ctx context.Context, call app.Call, id string, f map[string]string) error {
				st, err := ticket.ParseStatus(f["status"])
				if err != nil {
					return err
				}
				return s.cfg.App.ChangeTicketStatus(ctx, call, id, st)
			},
			shown: func(b, n psupport.AgentTicket) bool { return n.Status != b.Status }},
	}
}

func blocks(c app.BlockedIPCase, accountID string) bool {
	for _, a := range c.Accounts {
		if a.AccountID == accountID {
			return true
		}
	}
	return false
}
