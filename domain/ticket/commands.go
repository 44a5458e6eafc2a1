package ticket

import (
	"time"

	"ledgerdesk/domain/ledger"
)

// Command is a ticket command. Where a command says ByAgent, the command layer sets it
// from the authenticated support-realm role, never from user input.
type Command interface {
	isTicketCommand()
}

// Open raises a ticket. RequesterAccountID must be a support-realm account (checked by the
// command layer). IP is required for blocked_ip tickets and optional otherwise.
type Open struct {
	TicketID           string
	RequesterAccountID string
	Category           Category
	Subject            string
	Body               string
	IP                 string
	At                 time.Time
}

// PublicReply posts a message the requester sees. A requester may reply only on their own
// ticket; their reply moves a pending ticket back to open and reopens a recently solved one.
type PublicReply struct {
	TicketID string
	AuthorID string
	ByAgent  bool
	Body     string
	At       time.Time
}

// InternalNote adds a note for agents only.
type InternalNote struct {
	TicketID string
	AgentID  string
	Body     string
	At       time.Time
}

// Assign hands the ticket to an agent.
type Assign struct {
	TicketID string
	AgentID  string
	By       string
	At       time.Time
}

// SetPriority changes the priority.
type SetPriority struct {
	TicketID string
	Priority Priority
	By       string
	At       time.Time
}

// ChangeStatus moves the ticket through the transition table. A requester (ByAgent false)
// may only mark their own ticket solved.
type ChangeStatus struct {
	TicketID string
	To       Status
	By       string
	ByAgent  bool
	At       time.Time
}

// AttachDocument records an uploaded file, already sniffed (commands/support/attachment)
// and kept encrypted by the attachment store. ExpiresOn is required for a student card
// (only a current one is accepted) and optional for other documents.
type AttachDocument struct {
	TicketID     string
	AttachmentID string
	UploadedBy   string
	ByAgent      bool
	Kind         DocumentKind
	ContentType  string
	Size         int64
	ExpiresOn    *ledger.Date
	At           time.Time
}

// ViewDocument records an agent opening a document; only the assigned agent may.
type ViewDocument struct {
	TicketID     string
	AttachmentID string
	AgentID      string
	At           time.Time
}

// VerifyIdentity is the assigned agent's decision on a two-factor reset ticket, after
// comparing the document's name and address with the portal account.
//
// PortalAccountID names the portal account the documents were compared with, whose
// two-factor a verification resets. The requester's support account is a different
// account, so only the agent can link the two. The command layer requires it for a
// verification (and checks it is a portal account); the decider validates it when given.
type VerifyIdentity struct {
	TicketID        string
	AgentID         string
	Decision        Decision
	Reason          string
	PortalAccountID string
	At              time.Time
}

// DestroyExpiredDocuments destroys the identity documents of a ticket closed more than
// Retention before At. A scheduled sweep sends it to every closed ticket; a ticket not yet
// due is left alone without error.
type DestroyExpiredDocuments struct {
	TicketID  string
	Retention time.Duration
	At        time.Time
}

// CloseSolved closes a ticket solved more than ReopenWindow before At, as By (a system
// actor: the auto-close sweep). It is the same window as reopening, so a ticket its
// requester can still reopen is never closed; any other ticket (not solved, solved too
// recently, already closed) is left alone without error, which makes the sweep safe to
// run again.
type CloseSolved struct {
	TicketID string
	By       string
	At       time.Time
}

func (Open) isTicketCommand()                    {}
func (PublicReply) isTicketCommand()             {}
func (InternalNote) isTicketCommand()            {}
func (Assign) isTicketCommand()                  {}
func (SetPriority) isTicketCommand()             {}
func (ChangeStatus) isTicketCommand()            {}
func (AttachDocument) isTicketCommand()          {}
func (ViewDocument) isTicketCommand()            {}
func (VerifyIdentity) isTicketCommand()          {}
func (DestroyExpiredDocuments) isTicketCommand() {}
func (CloseSolved) isTicketCommand()             {}
