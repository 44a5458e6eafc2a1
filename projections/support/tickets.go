package support

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"ledgerdesk/codec"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/ticket"
	"ledgerdesk/eventstore"
	"ledgerdesk/projections"
)

// TicketsName is the tickets projection's name; its tables live in proj_support_tickets.
const TicketsName = "support_tickets"

// Tickets is the read model of tickets: one row per ticket, its public replies, internal
// notes, documents, and a timeline of everything that happened to it, account events done
// for it (a two-factor reset, an unblocked IP, a support grant and what was done under it)
// included.
type Tickets struct{ handlers *projections.Handlers }

// NewTickets decodes events with c.
func NewTickets(c *codec.Codec) *Tickets {
	h := projections.NewHandlers(c)
	projections.On(h, ticket.StreamCategory, applyTicket)
	projections.On(h, account.StreamCategory, applyAccountOnTicket)
	return &Tickets{handlers: h}
}

func (*Tickets) Name() string { return TicketsName }

func (*Tickets) Setup(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `
		CREATE TABLE IF NOT EXISTS tickets (
			ticket_id            text PRIMARY KEY,
			requester_account_id text NOT NULL,
			category             text NOT NULL,
			subject              text NOT NULL,
			body                 text NOT NULL,
			ip                   text NOT NULL DEFAULT '',
			status               text NOT NULL,
			priority             text NOT NULL,
			priority_rank        int  NOT NULL,
			assignee_id          text NOT NULL DEFAULT '',
			opened_at            timestamptz NOT NULL,
			updated_at           timestamptz NOT NULL,
			solved_at            timestamptz,
			closed_at            timestamptz,
			identity             text NOT NULL DEFAULT '',
			identity_reason      text NOT NULL DEFAULT '',
			portal_account_id    text NOT NULL DEFAULT '',
			public_replies       int  NOT NULL DEFAULT 0,
			internal_notes       int  NOT NULL DEFAULT 0,
			documents            int  NOT NULL DEFAULT 0,
			version              bigint NOT NULL
		);
		CREATE INDEX IF NOT EXISTS tickets_queue ON tickets (status, priority_rank DESC, opened_at);
		CREATE INDEX IF NOT EXISTS tickets_by_requester ON tickets (requester_account_id, opened_at);
		CREATE INDEX IF NOT EXISTS tickets_by_assignee ON tickets (assignee_id, status);
		CREATE INDEX IF NOT EXISTS tickets_solved ON tickets (solved_at) WHERE status = 'solved';
		CREATE TABLE IF NOT EXISTS public_messages (
			ticket_id text NOT NULL,
			version   bigint NOT NULL,
			author_id text NOT NULL,
			by_agent  boolean NOT NULL,
			body      text NOT NULL,
			at        timestamptz NOT NULL,
			PRIMARY KEY (ticket_id, version)
		);
		CREATE TABLE IF NOT EXISTS internal_notes (
			ticket_id text NOT NULL,
			version   bigint NOT NULL,
			agent_id  text NOT NULL,
			body      text NOT NULL,
			at        timestamptz NOT NULL,
			PRIMARY KEY (ticket_id, version)
		);
		CREATE TABLE IF NOT EXISTS documents (
			attachment_id text PRIMARY KEY,
			ticket_id     text NOT NULL,
			kind          text NOT NULL,
			identity      boolean NOT NULL,
			content_type  text NOT NULL,
			size          bigint NOT NULL,
			expires_on    date,
			uploaded_by   text NOT NULL,
			attached_at   timestamptz NOT NULL,
			views         int NOT NULL DEFAULT 0,
			last_viewed_at timestamptz,
			destroyed_at  timestamptz
		);
		CREATE INDEX IF NOT EXISTS documents_by_ticket ON documents (ticket_id, attached_at);
		CREATE TABLE IF NOT EXISTS grants (
			grant_id  text PRIMARY KEY,
			ticket_id text NOT NULL
		);
		CREATE TABLE IF NOT EXISTS timeline (
			seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
			event_id   uuid NOT NULL UNIQUE,
			ticket_id  text NOT NULL,
			at         timestamptz NOT NULL,
			event_type text NOT NULL,
			actor      text NOT NULL,
			summary    text NOT NULL,
			detail     text NOT NULL DEFAULT '',
			internal   boolean NOT NULL DEFAULT false
		);
		CREATE INDEX IF NOT EXISTS timeline_by_ticket ON timeline (ticket_id, seq)`)
	return err
}

// priorityRank orders the queue: urgent first.
func priorityRank(p ticket.Priority) int {
	switch p {
	case ticket.PriorityUrgent:
		return 3
	case ticket.PriorityHigh:
		return 2
	case ticket.PriorityNormal:
		return 1
	}
	return 0
}

func (p *Tickets) Apply(ctx context.Context, w projections.Writer, e eventstore.RecordedEvent) error {
	return p.handlers.Apply(ctx, w, e)
}

// actorOf is who the event's metadata says did it, "" if it does not say.
func actorOf(e eventstore.RecordedEvent) string {
	if m, err := codec.ParseMetadata(e.Metadata); err == nil {
		return m.Actor
	}
	return ""
}

func timeline(w projections.Writer, e eventstore.RecordedEvent, ticketID, actor, summary, detail string, internal bool, at any) {
	w.Exec(`INSERT INTO timeline (event_id, ticket_id, at, event_type, actor, summary, detail, internal)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (event_id) DO NOTHING`,
		e.ID, ticketID, at, e.Type, actor, summary, detail, internal)
}

// touch moves a ticket's version and updated time on, once per event.
const touch = `UPDATE tickets SET updated_at = $2, version = $3 WHERE ticket_id = $1 AND version < $3`

func applyTicket(_ context.Context, w projections.Writer, e eventstore.RecordedEvent, ev ticket.Event) error {
	actor := actorOf(e)
	v := int64(e.Version)
	switch ev := ev.(type) {
	case ticket.Opened:
		w.Exec(`INSERT INTO tickets (ticket_id, requester_account_id, category, subject, body, ip, status, priority, priority_rank, opened_at, updated_at, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11) ON CONFLICT (ticket_id) DO NOTHING`,
			ev.TicketID, ev.RequesterAccountID, string(ev.Category), ev.Subject, ev.Body, ev.IP,
			string(ticket.StatusNew), string(ticket.PriorityNormal), priorityRank(ticket.PriorityNormal), ev.At, v)
		timeline(w, e, ev.TicketID, or(actor, ev.RequesterAccountID), fmt.Sprintf("opened a %s ticket: %s", ev.Category, ev.Subject), ev.Body, false, ev.At)
	case ticket.PublicReplyPosted:
		w.Exec(`INSERT INTO public_messages (ticket_id, version, author_id, by_agent, body, at) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT DO NOTHING`, ev.TicketID, v, ev.AuthorID, ev.ByAgent, ev.Body, ev.At)
		w.Exec(`UPDATE tickets SET public_replies = public_replies + 1, updated_at = $2, version = $3 WHERE ticket_id = $1 AND version < $3`, ev.TicketID, ev.At, v)
		who := "the requester"
		if ev.ByAgent {
			who = "an agent"
		}
		timeline(w, e, ev.TicketID, ev.AuthorID, "public reply by "+who, ev.Body, false, ev.At)
	case ticket.InternalNoteAdded:
		w.Exec(`INSERT INTO internal_notes (ticket_id, version, agent_id, body, at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT DO NOTHING`, ev.TicketID, v, ev.AgentID, ev.Body, ev.At)
		w.Exec(`UPDATE tickets SET internal_notes = internal_notes + 1, updated_at = $2, version = $3 WHERE ticket_id = $1 AND version < $3`, ev.TicketID, ev.At, v)
		timeline(w, e, ev.TicketID, ev.AgentID, "internal note", ev.Body, true, ev.At)
	case ticket.Assigned:
		w.Exec(`UPDATE tickets SET assignee_id = $4, updated_at = $2, version = $3 WHERE ticket_id = $1 AND version < $3`, ev.TicketID, ev.At, v, ev.AgentID)
		timeline(w, e, ev.TicketID, ev.By, "assigned to "+ev.AgentID, "", false, ev.At)
	case ticket.PriorityChanged:
		w.Exec(`UPDATE tickets SET priority = $4, priority_rank = $5, updated_at = $2, version = $3 WHERE ticket_id = $1 AND version < $3`,
			ev.TicketID, ev.At, v, string(ev.To), priorityRank(ev.To))
		timeline(w, e, ev.TicketID, ev.By, fmt.Sprintf("priority %s → %s", ev.From, ev.To), "", false, ev.At)
	case ticket.StatusChanged:
		w.Exec(`UPDATE tickets SET status = $4, updated_at = $2, version = $3,
				solved_at = CASE WHEN $4 = 'solved' THEN $2 ELSE solved_at END,
				closed_at = CASE WHEN $4 = 'closed' THEN $2 ELSE closed_at END
			WHERE ticket_id = $1 AND version < $3`, ev.TicketID, ev.At, v, string(ev.To))
		timeline(w, e, ev.TicketID, ev.By, fmt.Sprintf("status %s → %s", ev.From, ev.To), "", false, ev.At)
	case ticket.DocumentAttached:
		var expires any
		if ev.ExpiresOn != nil {
			expires = ev.ExpiresOn.String()
		}
		w.Exec(`INSERT INTO documents (attachment_id, ticket_id, kind, identity, content_type, size, expires_on, uploaded_by, attached_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7::date, $8, $9) ON CONFLICT (attachment_id) DO NOTHING`,
			ev.AttachmentID, ev.TicketID, string(ev.Kind), ev.Kind.IsIdentity(), ev.ContentType, ev.Size, expires, ev.UploadedBy, ev.At)
		w.Exec(`UPDATE tickets SET documents = documents + 1, updated_at = $2, version = $3 WHERE ticket_id = $1 AND version < $3`, ev.TicketID, ev.At, v)
		timeline(w, e, ev.TicketID, ev.UploadedBy, fmt.Sprintf("attached %s %s (%s, %d bytes)", ev.Kind, ev.AttachmentID, ev.ContentType, ev.Size), "", false, ev.At)
	case ticket.DocumentViewed:
		w.Exec(`UPDATE documents SET views = views + 1, last_viewed_at = $2 WHERE attachment_id = $1`, ev.AttachmentID, ev.At)
		w.Exec(touch, ev.TicketID, ev.At, v)
		timeline(w, e, ev.TicketID, ev.AgentID, "viewed document "+ev.AttachmentID, "", true, ev.At)
	case ticket.IdentityVerified:
		w.Exec(`UPDATE tickets SET identity = 'verified', identity_reason = '', portal_account_id = $4, updated_at = $2, version = $3
			WHERE ticket_id = $1 AND version < $3`, ev.TicketID, ev.At, v, ev.PortalAccountID)
		timeline(w, e, ev.TicketID, ev.AgentID, fmt.Sprintf("identity verified against portal account %s using %s", ev.PortalAccountID, strings.Join(ev.AttachmentIDs, ", ")), "", false, ev.At)
	case ticket.IdentityRejected:
		w.Exec(`UPDATE tickets SET identity = 'rejected', identity_reason = $4, updated_at = $2, version = $3
			WHERE ticket_id = $1 AND version < $3`, ev.TicketID, ev.At, v, ev.Reason)
		timeline(w, e, ev.TicketID, ev.AgentID, "identity rejected", ev.Reason, false, ev.At)
	case ticket.DocumentDestroyed:
		w.Exec(`UPDATE documents SET destroyed_at = $2 WHERE attachment_id = $1`, ev.AttachmentID, ev.At)
		w.Exec(touch, ev.TicketID, ev.At, v)
		timeline(w, e, ev.TicketID, actor, "destroyed document "+ev.AttachmentID+": its retention period after closing passed", "", false, ev.At)
	}
	return nil
}

// applyAccountOnTicket puts account events done for a ticket on the ticket's timeline.
func applyAccountOnTicket(_ context.Context, w projections.Writer, e eventstore.RecordedEvent, ev account.Event) error {
	actor := actorOf(e)
	switch ev := ev.(type) {
	case account.TwoFactorReset:
		timeline(w, e, ev.TicketID, or(actor, ev.AgentID), "two-factor reset on portal account "+ev.AccountID, "", false, ev.At)
	case account.IPUnblocked:
		if ev.TicketID != "" {
			timeline(w, e, ev.TicketID, ev.By, "unblocked an IP address on account "+ev.AccountID, ev.IP, false, ev.At)
		}
	case account.SupportAccessGranted:
		if ev.TicketID != "" {
			scopes := make([]string, len(ev.Scopes))
			for i, s := range ev.Scopes {
				scopes[i] = string(s)
			}
			w.Exec(`INSERT INTO grants (grant_id, ticket_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, ev.GrantID, ev.TicketID)
			timeline(w, e, ev.TicketID, ev.AccountID, fmt.Sprintf("account %s allowed IT support to %s until %s (grant %s)",
				ev.AccountID, strings.Join(scopes, " and "), ev.ExpiresAt.UTC().Format("2006-01-02 15:04 MST"), ev.GrantID), "", false, ev.At)
		}
	case account.SupportAccessRevoked:
		grantTimeline(w, e, ev.GrantID, ev.By, "support access revoked (grant "+ev.GrantID+")", ev.At)
	case account.SupportActionRecorded:
		grantTimeline(w, e, ev.GrantID, ev.AgentID, "under grant "+ev.GrantID+": "+ev.Action, ev.At)
	}
	return nil
}

// grantTimeline adds an entry to the timeline of the ticket a grant was given for, if any.
func grantTimeline(w projections.Writer, e eventstore.RecordedEvent, grantID, actor, summary string, at any) {
	w.Exec(`INSERT INTO timeline (event_id, ticket_id, at, event_type, actor, summary)
		SELECT $1, ticket_id, $3, $4, $5, $6 FROM grants WHERE grant_id = $2 ON CONFLICT (event_id) DO NOTHING`,
		e.ID, grantID, at, e.Type, actor, summary)
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
