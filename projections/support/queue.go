package support

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"ledgerdesk/domain/ticket"
)

// Queue limits.
const (
	DefaultQueueLimit = 100
	MaxQueueLimit     = 1000
)

// QueueFilter selects the agents' queue. Zero values mean "any", except Statuses, whose
// zero value means the working statuses (new, open, pending, on hold).
type QueueFilter struct {
	Statuses   []ticket.Status
	Category   ticket.Category
	AssigneeID string
	Unassigned bool
	// Priority keeps tickets of this priority only.
	Priority ticket.Priority
	// OlderThan keeps tickets opened at least this long before Now.
	OlderThan time.Duration
	// Now is the instant ages are measured from; zero means time.Now.
	Now   time.Time
	Limit int
}

// WorkingStatuses are the statuses the queue shows by default: everything not yet solved.
var WorkingStatuses = []ticket.Status{ticket.StatusNew, ticket.StatusOpen, ticket.StatusPending, ticket.StatusOnHold}

// QueueItem is one ticket in the agents' queue.
type QueueItem struct {
	TicketID           string          `json:"ticket_id"`
	RequesterAccountID string          `json:"requester_account_id"`
	Category           ticket.Category `json:"category"`
	Subject            string          `json:"subject"`
	Status             ticket.Status   `json:"status"`
	Priority           ticket.Priority `json:"priority"`
	AssigneeID         string          `json:"assignee_id,omitempty"`
	OpenedAt           time.Time       `json:"opened_at"`
	UpdatedAt          time.Time       `json:"updated_at"`
	Age                time.Duration   `json:"age"`
	PublicReplies      int             `json:"public_replies"`
	InternalNotes      int             `json:"internal_notes"`
	Documents          int             `json:"documents"`
	Identity           ticket.Decision `json:"identity,omitempty"`
}

// Queue lists tickets for agents: most urgent first, then oldest first.
func Queue(ctx context.Context, q Querier, f QueueFilter) ([]QueueItem, error) {
	now := f.Now
	if now.IsZero() {
		now = time.Now()
	}
	statuses := f.Statuses
	if len(statuses) == 0 {
		statuses = WorkingStatuses
	}
	names := make([]string, len(statuses))
	for i, s := range statuses {
		if _, err := ticket.ParseStatus(string(s)); err != nil {
			return nil, err
		}
		names[i] = string(s)
	}
	where := []string{"status = ANY($1)"}
	args := []any{names}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if f.Category != "" {
		if _, err := ticket.ParseCategory(string(f.Category)); err != nil {
			return nil, err
		}
		add("category = $%d", string(f.Category))
	}
	if f.AssigneeID != "" {
		add("assignee_id = $%d", f.AssigneeID)
	}
	if f.Priority != "" {
		if _, err := ticket.ParsePriority(string(f.Priority)); err != nil {
			return nil, err
		}
		add("priority = $%d", string(f.Priority))
	}
	if f.Unassigned {
		where = append(where, "assignee_id = ''")
	}
	if f.OlderThan < 0 {
		return nil, fmt.Errorf("%w: field older_than: must not be negative", ticket.ErrInvalidInput)
	}
	if f.OlderThan > 0 {
		add("opened_at <= $%d", now.Add(-f.OlderThan))
	}
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultQueueLimit
	}
	limit = min(limit, MaxQueueLimit)
	args = append(args, limit)
	rows, err := q.Query(ctx, `SELECT ticket_id, requester_account_id, category, subject, status, priority, assignee_id, opened_at, updated_at,
			public_replies, internal_notes, documents, identity
		FROM proj_support_tickets.tickets WHERE `+strings.Join(where, " AND ")+`
		ORDER BY priority_rank DESC, opened_at, ticket_id LIMIT $`+fmt.Sprint(len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("support queue: %w", err)
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (QueueItem, error) {
		var it QueueItem
		err := r.Scan(&it.TicketID, &it.RequesterAccountID, &it.Category, &it.Subject, &it.Status, &it.Priority, &it.AssigneeID,
			&it.OpenedAt, &it.UpdatedAt, &it.PublicReplies, &it.InternalNotes, &it.Documents, &it.Identity)
		it.Age = now.Sub(it.OpenedAt)
		return it, err
	})
	if err != nil {
		return nil, fmt.Errorf("support queue: %w", err)
	}
	return items, nil
}

// DueForDestruction lists closed tickets, closed at or before closedBefore, that still
// hold an identity document not yet destroyed: what the retention sweep must visit.
func DueForDestruction(ctx context.Context, q Querier, closedBefore time.Time) ([]string, error) {
	rows, err := q.Query(ctx, `SELECT t.ticket_id FROM proj_support_tickets.tickets t
		WHERE t.status = 'closed' AND t.closed_at <= $1
		AND EXISTS (SELECT 1 FROM proj_support_tickets.documents d WHERE d.ticket_id = t.ticket_id AND d.identity AND d.destroyed_at IS NULL)
		ORDER BY t.closed_at, t.ticket_id`, closedBefore)
	if err != nil {
		return nil, fmt.Errorf("tickets due for document destruction: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// Solved is a solved ticket and when it was solved, as the read model has it.
type Solved struct {
	TicketID string
	SolvedAt time.Time
}

// DueForClosing lists tickets still solved that were solved before solvedBefore, oldest
// first: what the auto-close sweep must visit. The tickets_solved partial index keeps it
// off the rest of the table.
func DueForClosing(ctx context.Context, q Querier, solvedBefore time.Time) ([]Solved, error) {
	rows, err := q.Query(ctx, `SELECT ticket_id, solved_at FROM proj_support_tickets.tickets
		WHERE status = 'solved' AND solved_at < $1
		ORDER BY solved_at, ticket_id`, solvedBefore)
	if err != nil {
		return nil, fmt.Errorf("solved tickets due for closing: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Solved, error) {
		var s Solved
		err := r.Scan(&s.TicketID, &s.SolvedAt)
		return s, err
	})
}
