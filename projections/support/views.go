package support

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"ledgerdesk/domain/ticket"
)

// RequesterTicket is a ticket as its requester sees it: no assignee, no priority, no
// internal notes, no record of who viewed a document.
type RequesterTicket struct {
	TicketID  string          `json:"ticket_id"`
	Category  ticket.Category `json:"category"`
	Subject   string          `json:"subject"`
	Body      string          `json:"body"`
	Status    ticket.Status   `json:"status"`
	OpenedAt  time.Time       `json:"opened_at"`
	UpdatedAt time.Time       `json:"updated_at"`
	// SolvedAt is when the ticket was last solved: the reopen window runs from it.
	SolvedAt       *time.Time          `json:"solved_at,omitempty"`
	Identity       ticket.Decision     `json:"identity,omitempty"`
	IdentityReason string              `json:"identity_reason,omitempty"`
	Replies        []Reply             `json:"replies"`
	Documents      []RequesterDocument `json:"documents"`
}

// Reply is a public message as the requester sees it: from support, not from which agent.
type Reply struct {
	FromSupport bool      `json:"from_support"`
	Body        string    `json:"body"`
	At          time.Time `json:"at"`
}

// AgentReply is a public message as agents see it.
type AgentReply struct {
	AuthorID string    `json:"author_id"`
	ByAgent  bool      `json:"by_agent"`
	Body     string    `json:"body"`
	At       time.Time `json:"at"`
}

// RequesterDocument is what the requester sees of an attachment.
type RequesterDocument struct {
	AttachmentID string              `json:"attachment_id"`
	Kind         ticket.DocumentKind `json:"kind"`
	AttachedAt   time.Time           `json:"attached_at"`
	Destroyed    bool                `json:"destroyed"`
}

// RequesterTickets lists a requester's own tickets, newest first, without their
// conversations (RequesterTicketView has those).
func RequesterTickets(ctx context.Context, q Querier, requesterID string) ([]RequesterTicket, error) {
	rows, err := q.Query(ctx, `SELECT ticket_id, category, subject, body, status, opened_at, updated_at, solved_at, identity, identity_reason
		FROM proj_support_tickets.tickets WHERE requester_account_id = $1 ORDER BY opened_at DESC, ticket_id`, requesterID)
	if err != nil {
		return nil, fmt.Errorf("tickets of %s: %w", requesterID, err)
	}
	return pgx.CollectRows(rows, scanRequesterTicket)
}

func scanRequesterTicket(r pgx.CollectableRow) (RequesterTicket, error) {
	var t RequesterTicket
	err := r.Scan(&t.TicketID, &t.Category, &t.Subject, &t.Body, &t.Status, &t.OpenedAt, &t.UpdatedAt, &t.SolvedAt, &t.Identity, &t.IdentityReason)
	return t, err
}

// RequesterTicketView is one of the requester's tickets with its public conversation. A
// ticket that is someone else's reads as not found, exactly like one that does not exist.
func RequesterTicketView(ctx context.Context, q Querier, requesterID, ticketID string) (RequesterTicket, error) {
	rows, err := q.Query(ctx, `SELECT ticket_id, category, subject, body, status, opened_at, updated_at, solved_at, identity, identity_reason
		FROM proj_support_tickets.tickets WHERE ticket_id = $1 AND requester_account_id = $2`, ticketID, requesterID)
	if err != nil {
		return RequesterTicket{}, fmt.Errorf("ticket %s: %w", ticketID, err)
	}
	t, err := pgx.CollectExactlyOneRow(rows, scanRequesterTicket)
	if errors.Is(err, pgx.ErrNoRows) {
		return RequesterTicket{}, notFound("ticket " + ticketID)
	}
	if err != nil {
		return RequesterTicket{}, fmt.Errorf("ticket %s: %w", ticketID, err)
	}
	rrows, err := q.Query(ctx, `SELECT by_agent, body, at FROM proj_support_tickets.public_messages
		WHERE ticket_id = $1 ORDER BY version`, ticketID)
	if err != nil {
		return RequesterTicket{}, fmt.Errorf("replies on ticket %s: %w", ticketID, err)
	}
	if t.Replies, err = pgx.CollectRows(rrows, pgx.RowToStructByPos[Reply]); err != nil {
		return RequesterTicket{}, fmt.Errorf("replies on ticket %s: %w", ticketID, err)
	}
	drows, err := q.Query(ctx, `SELECT attachment_id, kind, attached_at, destroyed_at IS NOT NULL
		FROM proj_support_tickets.documents WHERE ticket_id = $1 ORDER BY attached_at, attachment_id`, ticketID)
	if err != nil {
		return RequesterTicket{}, fmt.Errorf("documents of ticket %s: %w", ticketID, err)
	}
	if t.Documents, err = pgx.CollectRows(drows, pgx.RowToStructByPos[RequesterDocument]); err != nil {
		return RequesterTicket{}, fmt.Errorf("documents of ticket %s: %w", ticketID, err)
	}
	return t, nil
}

// AgentTicket is a ticket with everything an agent sees.
type AgentTicket struct {
	QueueItem
	Body            string          `json:"body"`
	IP              string          `json:"ip,omitempty"`
	SolvedAt        *time.Time      `json:"solved_at,omitempty"`
	ClosedAt        *time.Time      `json:"closed_at,omitempty"`
	IdentityReason  string          `json:"identity_reason,omitempty"`
	PortalAccountID string          `json:"portal_account_id,omitempty"`
	Replies         []AgentReply    `json:"replies"`
	Notes           []Note          `json:"notes"`
	Attachments     []AgentDocument `json:"attachments"`
}

// Note is an internal note.
type Note struct {
	AgentID string    `json:"agent_id"`
	Body    string    `json:"body"`
	At      time.Time `json:"at"`
}

// AgentDocument is an attachment as agents see it.
type AgentDocument struct {
	AttachmentID string              `json:"attachment_id"`
	Kind         ticket.DocumentKind `json:"kind"`
	ContentType  string              `json:"content_type"`
	Size         int64               `json:"size"`
	ExpiresOn    *string             `json:"expires_on,omitempty"`
	UploadedBy   string              `json:"uploaded_by"`
	AttachedAt   time.Time           `json:"attached_at"`
	Views        int                 `json:"views"`
	LastViewedAt *time.Time          `json:"last_viewed_at,omitempty"`
	DestroyedAt  *time.Time          `json:"destroyed_at,omitempty"`
}

// AgentTicketView is a ticket with its public replies, internal notes and attachments.
func AgentTicketView(ctx context.Context, q Querier, ticketID string, now time.Time) (AgentTicket, error) {
	if now.IsZero() {
		now = time.Now()
	}
	var t AgentTicket
	err := q.QueryRow(ctx, `SELECT ticket_id, requester_account_id, category, subject, status, priority, assignee_id, opened_at, updated_at,
			public_replies, internal_notes, documents, identity, body, ip, solved_at, closed_at, identity_reason, portal_account_id
		FROM proj_support_tickets.tickets WHERE ticket_id = $1`, ticketID).Scan(
		&t.TicketID, &t.RequesterAccountID, &t.Category, &t.Subject, &t.Status, &t.Priority, &t.AssigneeID, &t.OpenedAt, &t.UpdatedAt,
		&t.PublicReplies, &t.InternalNotes, &t.Documents, &t.Identity, &t.Body, &t.IP, &t.SolvedAt, &t.ClosedAt, &t.IdentityReason, &t.PortalAccountID)
	if errors.Is(err, pgx.ErrNoRows) {
		return AgentTicket{}, notFound("ticket " + ticketID)
	}
	if err != nil {
		return AgentTicket{}, fmt.Errorf("ticket %s: %w", ticketID, err)
	}
	t.Age = now.Sub(t.OpenedAt)
	rrows, err := q.Query(ctx, `SELECT author_id, by_agent, body, at FROM proj_support_tickets.public_messages
		WHERE ticket_id = $1 ORDER BY version`, ticketID)
	if err != nil {
		return AgentTicket{}, fmt.Errorf("replies on ticket %s: %w", ticketID, err)
	}
	if t.Replies, err = pgx.CollectRows(rrows, pgx.RowToStructByPos[AgentReply]); err != nil {
		return AgentTicket{}, fmt.Errorf("replies on ticket %s: %w", ticketID, err)
	}
	nrows, err := q.Query(ctx, `SELECT agent_id, body, at FROM proj_support_tickets.internal_notes WHERE ticket_id = $1 ORDER BY version`, ticketID)
	if err != nil {
		return AgentTicket{}, fmt.Errorf("notes on ticket %s: %w", ticketID, err)
	}
	if t.Notes, err = pgx.CollectRows(nrows, pgx.RowToStructByPos[Note]); err != nil {
		return AgentTicket{}, fmt.Errorf("notes on ticket %s: %w", ticketID, err)
	}
	drows, err := q.Query(ctx, `SELECT attachment_id, kind, content_type, size, to_char(expires_on, 'YYYY-MM-DD'), uploaded_by, attached_at, views, last_viewed_at, destroyed_at
		FROM proj_support_tickets.documents WHERE ticket_id = $1 ORDER BY attached_at, attachment_id`, ticketID)
	if err != nil {
		return AgentTicket{}, fmt.Errorf("documents of ticket %s: %w", ticketID, err)
	}
	if t.Attachments, err = pgx.CollectRows(drows, pgx.RowToStructByPos[AgentDocument]); err != nil {
		return AgentTicket{}, fmt.Errorf("documents of ticket %s: %w", ticketID, err)
	}
	return t, nil
}

// TimelineEntry is one thing that happened to a ticket.
type TimelineEntry struct {
	At        time.Time `json:"at"`
	EventType string    `json:"event_type"`
	Actor     string    `json:"actor"`
	Summary   string    `json:"summary"`
	Detail    string    `json:"detail,omitempty"`
	// Internal marks what the requester is never shown (notes, document views).
	Internal bool `json:"internal"`
}

// Timeline is a ticket's full audit trail in the order it happened, for agents and
// auditors: every event of the ticket and every account event done for it.
func Timeline(ctx context.Context, q Querier, ticketID string) ([]TimelineEntry, error) {
	rows, err := q.Query(ctx, `SELECT at, event_type, actor, summary, detail, internal FROM proj_support_tickets.timeline
		WHERE ticket_id = $1 ORDER BY seq`, ticketID)
	if err != nil {
		return nil, fmt.Errorf("timeline of ticket %s: %w", ticketID, err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[TimelineEntry])
}
