package ticket

import (
	"slices"
	"time"

	"ledgerdesk/domain/decider"
	"ledgerdesk/domain/ledger"
)

// State is what Decide needs to know about a ticket, and what the requester's view is
// built from.
type State struct {
	ID                 string
	RequesterAccountID string
	Category           Category
	Subject            string
	Body               string
	IP                 string
	Status             Status
	Priority           Priority
	AssigneeID         string
	OpenedAt           time.Time
	SolvedAt           time.Time
	ClosedAt           time.Time
	Messages           []Message
	Documents          []Document
	Identity           Decision // empty until an agent decides
	IdentityReason     string
}

// Message is one public reply or internal note.
type Message struct {
	Internal bool
	AuthorID string
	ByAgent  bool
	Body     string
	At       time.Time
}

// Document is one attachment.
type Document struct {
	AttachmentID string
	Kind         DocumentKind
	ContentType  string
	Size         int64
	ExpiresOn    *ledger.Date
	UploadedBy   string
	AttachedAt   time.Time
	ViewedBy     []string // agents who opened it, first view each
	DestroyedAt  time.Time
}

// Destroyed reports whether the retention sweep has destroyed the document.
func (d Document) Destroyed() bool { return !d.DestroyedAt.IsZero() }

// ExpiredAt reports whether the document's printed expiry date has passed at instant at,
// by the date in London: a card valid "until 31/07/2025" still counts all that day.
func (d Document) ExpiredAt(at time.Time) bool {
	return d.ExpiresOn != nil && d.ExpiresOn.Before(ledger.LondonDate(at))
}

// Opened reports whether the ticket exists.
func (s State) Opened() bool { return s.ID != "" }

func (s State) document(id string) (int, bool) {
	for i, d := range s.Documents {
		if d.AttachmentID == id {
			return i, true
		}
	}
	return -1, false
}

// Evolve folds one event into the state. Slices are copied before they change, so a state
// already handed out is never altered by a later event.
func Evolve(s State, e Event) State {
	switch e := e.(type) {
	case Opened:
		s.ID, s.RequesterAccountID, s.Category = e.TicketID, e.RequesterAccountID, e.Category
		s.Subject, s.Body, s.IP, s.OpenedAt = e.Subject, e.Body, e.IP, e.At
		s.Status, s.Priority = StatusNew, PriorityNormal
	case PublicReplyPosted:
		s.Messages = append(slices.Clip(s.Messages), Message{AuthorID: e.AuthorID, ByAgent: e.ByAgent, Body: e.Body, At: e.At})
	case InternalNoteAdded:
		s.Messages = append(slices.Clip(s.Messages), Message{Internal: true, AuthorID: e.AgentID, ByAgent: true, Body: e.Body, At: e.At})
	case Assigned:
		s.AssigneeID = e.AgentID
	case PriorityChanged:
		s.Priority = e.To
	case StatusChanged:
		s.Status = e.To
		switch e.To {
		case StatusSolved:
			s.SolvedAt = e.At
		case StatusClosed:
			s.ClosedAt = e.At
		}
	case DocumentAttached:
		s.Documents = append(slices.Clip(s.Documents), Document{
			AttachmentID: e.AttachmentID, Kind: e.Kind, ContentType: e.ContentType, Size: e.Size,
			ExpiresOn: e.ExpiresOn, UploadedBy: e.UploadedBy, AttachedAt: e.At,
		})
	case DocumentViewed:
		if i, ok := s.document(e.AttachmentID); ok && !slices.Contains(s.Documents[i].ViewedBy, e.AgentID) {
			s.Documents = slices.Clone(s.Documents)
			s.Documents[i].ViewedBy = append(slices.Clip(s.Documents[i].ViewedBy), e.AgentID)
		}
	case IdentityVerified:
		s.Identity, s.IdentityReason = DecisionVerified, ""
	case IdentityRejected:
		s.Identity, s.IdentityReason = DecisionRejected, e.Reason
	case DocumentDestroyed:
		if i, ok := s.document(e.AttachmentID); ok {
			s.Documents = slices.Clone(s.Documents)
			s.Documents[i].DestroyedAt = e.At
		}
	}
	return s
}

// Decider bundles the ticket's functions for the command layer.
var Decider = decider.Decider[State, Command, Event]{
	Initial: func() State { return State{} },
	Decide:  Decide,
	Evolve:  Evolve,
}
