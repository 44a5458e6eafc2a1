package ticket

import (
	"time"

	"ledgerdesk/domain/decider"
	"ledgerdesk/domain/ledger"
)

// Event is a ticket event. Every event with free text written by a person carries the
// requester's id, whose key encrypts that text.
type Event interface {
	decider.Event
	isTicketEvent()
}

// Opened starts a ticket with status new and priority normal.
type Opened struct {
	TicketID           string    `json:"ticket_id"`
	RequesterAccountID string    `json:"requester_account_id"`
	Category           Category  `json:"category"`
	Subject            string    `json:"subject" pii:"true"`
	Body               string    `json:"body" pii:"true"`
	IP                 string    `json:"ip,omitempty" pii:"true"`
	At                 time.Time `json:"at"`
}

// PublicReplyPosted is a message the requester sees.
type PublicReplyPosted struct {
	TicketID           string    `json:"ticket_id"`
	RequesterAccountID string    `json:"requester_account_id"`
	AuthorID           string    `json:"author_id"`
	ByAgent            bool      `json:"by_agent"`
	Body               string    `json:"body" pii:"true"`
	At                 time.Time `json:"at"`
}

// InternalNoteAdded is a message between agents, never shown to the requester.
type InternalNoteAdded struct {
	TicketID           string    `json:"ticket_id"`
	RequesterAccountID string    `json:"requester_account_id"`
	AgentID            string    `json:"agent_id"`
	Body               string    `json:"body" pii:"true"`
	At                 time.Time `json:"at"`
}

// Assigned hands the ticket to an agent.
type Assigned struct {
	TicketID string    `json:"ticket_id"`
	AgentID  string    `json:"agent_id"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
}

// PriorityChanged moves the ticket in the queue.
type PriorityChanged struct {
	TicketID string    `json:"ticket_id"`
	From     Priority  `json:"from"`
	To       Priority  `json:"to"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
}

// StatusChanged is one step through the transition table.
type StatusChanged struct {
	TicketID string    `json:"ticket_id"`
	From     Status    `json:"from"`
	To       Status    `json:"to"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
}

// DocumentAttached records an uploaded file; the bytes are encrypted in the attachment
// store under AttachmentID. ExpiresOn is the expiry printed on the document, if any.
type DocumentAttached struct {
	TicketID     string       `json:"ticket_id"`
	AttachmentID string       `json:"attachment_id"`
	Kind         DocumentKind `json:"kind"`
	ContentType  string       `json:"content_type"`
	Size         int64        `json:"size"`
	ExpiresOn    *ledger.Date `json:"expires_on,omitempty"`
	UploadedBy   string       `json:"uploaded_by"`
	At           time.Time    `json:"at"`
}

// DocumentViewed is written every time an agent opens a document.
type DocumentViewed struct {
	TicketID     string    `json:"ticket_id"`
	AttachmentID string    `json:"attachment_id"`
	AgentID      string    `json:"agent_id"`
	At           time.Time `json:"at"`
}

// IdentityVerified lets the two-factor reset go ahead; it names the documents relied on
// and the portal account they were compared with, whose two-factor a policy resets.
type IdentityVerified struct {
	TicketID        string    `json:"ticket_id"`
	AgentID         string    `json:"agent_id"`
	AttachmentIDs   []string  `json:"attachment_ids"`
	PortalAccountID string    `json:"portal_account_id,omitempty"`
	At              time.Time `json:"at"`
}

// IdentityRejected tells the requester why the documents were not enough.
type IdentityRejected struct {
	TicketID           string    `json:"ticket_id"`
	RequesterAccountID string    `json:"requester_account_id"`
	AgentID            string    `json:"agent_id"`
	Reason             string    `json:"reason" pii:"true"`
	At                 time.Time `json:"at"`
}

// DocumentDestroyed records that the retention period passed; a policy deletes the bytes
// and the document's key when it sees this.
type DocumentDestroyed struct {
	TicketID     string    `json:"ticket_id"`
	AttachmentID string    `json:"attachment_id"`
	At           time.Time `json:"at"`
}

func (Opened) EventType() string            { return "ticket.opened.v1" }
func (PublicReplyPosted) EventType() string { return "ticket.public_reply_posted.v1" }
func (InternalNoteAdded) EventType() string { return "ticket.internal_note_added.v1" }
func (Assigned) EventType() string          { return "ticket.assigned.v1" }
func (PriorityChanged) EventType() string   { return "ticket.priority_changed.v1" }
func (StatusChanged) EventType() string     { return "ticket.status_changed.v1" }
func (DocumentAttached) EventType() string  { return "ticket.document_attached.v1" }
func (DocumentViewed) EventType() string    { return "ticket.document_viewed.v1" }
func (IdentityVerified) EventType() string  { return "ticket.identity_verified.v1" }
func (IdentityRejected) EventType() string  { return "ticket.identity_rejected.v1" }
func (DocumentDestroyed) EventType() string { return "ticket.document_destroyed.v1" }

func (Opened) isTicketEvent()            {}
func (PublicReplyPosted) isTicketEvent() {}
func (InternalNoteAdded) isTicketEvent() {}
func (Assigned) isTicketEvent()          {}
func (PriorityChanged) isTicketEvent()   {}
func (StatusChanged) isTicketEvent()     {}
func (DocumentAttached) isTicketEvent()  {}
func (DocumentViewed) isTicketEvent()    {}
func (IdentityVerified) isTicketEvent()  {}
func (IdentityRejected) isTicketEvent()  {}
func (DocumentDestroyed) isTicketEvent() {}

// DataSubject names the person whose key encrypts the event's personal data.
func (e Opened) DataSubject() string            { return e.RequesterAccountID }
func (e PublicReplyPosted) DataSubject() string { return e.RequesterAccountID }
func (e InternalNoteAdded) DataSubject() string { return e.RequesterAccountID }
func (e IdentityRejected) DataSubject() string  { return e.RequesterAccountID }

// EventTypes is one zero value of every event, for the serialization registry.
func EventTypes() []Event {
	return []Event{
		Opened{}, PublicReplyPosted{}, InternalNoteAdded{}, Assigned{}, PriorityChanged{},
		StatusChanged{}, DocumentAttached{}, DocumentViewed{}, IdentityVerified{},
		IdentityRejected{}, DocumentDestroyed{},
	}
}

// StreamID is the ticket's event stream.
func StreamID(ticketID string) string { return "ticket-" + ticketID }
