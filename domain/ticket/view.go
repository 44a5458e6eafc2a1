package ticket

import "time"

// RequesterView is the ticket as its requester sees it: the public conversation only.
// Internal notes, the assignee, the priority and who viewed a document are for agents.
type RequesterView struct {
	TicketID       string
	Category       Category
	Subject        string
	Body           string
	Status         Status
	OpenedAt       time.Time
	Replies        []Reply
	Documents      []RequesterDocument
	Identity       Decision
	IdentityReason string
}

// Reply is a public message in the requester's view.
type Reply struct {
	FromSupport bool
	Body        string
	At          time.Time
}

// RequesterDocument is what the requester sees of an attachment.
type RequesterDocument struct {
	AttachmentID string
	Kind         DocumentKind
	AttachedAt   time.Time
	Destroyed    bool
}

// RequesterView builds the requester's view. It is the only view a requester-facing
// screen may use, so leaving notes out here keeps them out everywhere.
func (s State) RequesterView() RequesterView {
	v := RequesterView{
		TicketID: s.ID, Category: s.Category, Subject: s.Subject, Body: s.Body, Status: s.Status,
		OpenedAt: s.OpenedAt, Identity: s.Identity, IdentityReason: s.IdentityReason,
	}
	for _, m := range s.Messages {
		if !m.Internal {
			v.Replies = append(v.Replies, Reply{FromSupport: m.ByAgent, Body: m.Body, At: m.At})
		}
	}
	for _, d := range s.Documents {
		v.Documents = append(v.Documents, RequesterDocument{AttachmentID: d.AttachmentID, Kind: d.Kind, AttachedAt: d.AttachedAt, Destroyed: d.Destroyed()})
	}
	return v
}
