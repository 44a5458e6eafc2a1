package mail

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"ledgerdesk/codec"
	"ledgerdesk/commands"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/ticket"
	"ledgerdesk/eventstore"
	"ledgerdesk/projections"
)

// OutboxName is the outbox policy's name, and its checkpoint's.
const OutboxName = "policy_mail_outbox"

// The kinds of message the outbox queues: a password reset request's link, and the note
// to a requester that an agent has replied on their ticket.
const (
	KindPasswordReset = "password_reset"
	KindTicketReply   = "ticket_reply"
)

// Outbox queues the messages events ask for.
type Outbox struct{}

// NewOutbox is the outbox policy.
func NewOutbox() *Outbox { return &Outbox{} }

func (*Outbox) Name() string { return OutboxName }

// Setup creates nothing: the outbox is migrations/010's table, shared by every process,
// outside the policy's own schema so a rebuild of the policy finds the rows already there.
func (*Outbox) Setup(context.Context, pgx.Tx) error { return nil }

// Apply queues a password reset email for each reset requested, and a reply email for
// each public reply an agent posts (queueReplyMail). It needs nothing from the
// event's data (which would mean decrypting it): the account is the stream's, and the
// command that requested the reset, from the metadata, is what the link is derived from.
func (*Outbox) Apply(_ context.Context, w projections.Writer, e eventstore.RecordedEvent) error {
	if eventstore.Category(e.StreamID) == ticket.StreamCategory {
		return queueReplyMail(w, e)
	}
	if eventstore.Category(e.StreamID) != account.StreamCategory || e.Type != (account.PasswordResetRequested{}).EventType() {
		return nil
	}
	meta, err := codec.ParseMetadata(e.Metadata)
	if err != nil {
		return err
	}
	accountID, ok := strings.CutPrefix(e.StreamID, account.StreamCategory+"-")
	if !ok || accountID == "" || meta.CommandID == uuid.Nil {
		// Not written by the command layer: no command id, so no link can be derived.
		return nil
	}
	w.Exec(`INSERT INTO public.mail_outbox (message_id, kind, account_id, event_id, cause_command) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (message_id) DO NOTHING`,
		MessageID(e.ID, KindPasswordReset), KindPasswordReset, accountID, e.ID, meta.CommandID)
	return nil
}

// MessageID is the id of the message of kind that event asks for: the same every time.
func MessageID(event uuid.UUID, kind string) uuid.UUID {
	return commands.DerivedCommandID(event, "mail:"+kind)
}

// queueReplyMail queues a message to the requester for each public reply an agent posts.
// A requester's own reply, and an internal note (another event type), queue nothing. The
// fields it needs (the ticket, the requester, whether an agent wrote it) are not personal
// data, so they are read from the event as stored, without decrypting its body: the row
// holds no word of the reply.
func queueReplyMail(w projections.Writer, e eventstore.RecordedEvent) error {
	if e.Type != (ticket.PublicReplyPosted{}).EventType() {
		return nil
	}
	var ev struct {
		TicketID           string `json:"ticket_id"`
		RequesterAccountID string `json:"requester_account_id"`
		ByAgent            bool   `json:"by_agent"`
	}
	if err := json.Unmarshal(e.Data, &ev); err != nil {
		return fmt.Errorf("mail outbox: reading %s %s: %w", e.Type, e.ID, err)
	}
	if !ev.ByAgent || ev.TicketID == "" || ev.RequesterAccountID == "" {
		return nil
	}
	meta, err := codec.ParseMetadata(e.Metadata)
	if err != nil {
		return err
	}
	cause := meta.CommandID
	if cause == uuid.Nil {
		cause = e.ID
	}
	w.Exec(`INSERT INTO public.mail_outbox (message_id, kind, account_id, event_id, cause_command, ticket_id) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (message_id) DO NOTHING`,
		MessageID(e.ID, KindTicketReply), KindTicketReply, ev.RequesterAccountID, e.ID, cause, ev.TicketID)
	return nil
}
