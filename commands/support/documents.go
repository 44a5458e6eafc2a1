package support

import (
	"context"
	"errors"
	"fmt"
	"time"

	"ledgerdesk/commands"
	"ledgerdesk/commands/support/attachment"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/ticket"
)

// Attachment is a file to attach. Its type is sniffed from Content, never taken from a
// file name or a browser's claim. ExpiresOn is the expiry printed on the document (required
// for a student card).
type Attachment struct {
	TicketID  string
	Kind      ticket.DocumentKind
	Content   []byte
	ExpiresOn *ledger.Date
}

// Attach checks a file, keeps it encrypted in the attachment store and records it on the
// ticket; it returns the attachment's id. Everything the ticket would refuse is refused
// before any byte is stored, and bytes stored for a command the ticket then refuses are
// destroyed again.
func (s *Service) Attach(ctx context.Context, a Attachment, meta commands.Metadata) (string, error) {
	agent, err := s.supportActor(ctx, meta)
	if err != nil {
		return "", err
	}
	// What is kept is the file written again: an image decoded and encoded afresh, without
	// its metadata (EXIF location) or anything hidden after it; a PDF checked for structure
	// and script. Only that is stored, and only its size recorded.
	ct, content, err := attachment.Normalize(a.Content)
	switch {
	case errors.Is(err, attachment.ErrTooLarge):
		return "", fmt.Errorf("%w: field file: at most %d MiB: %w", ticket.ErrAttachmentTooLarge, ticket.MaxAttachmentBytes>>20, err)
	case err != nil:
		return "", fmt.Errorf("%w: field file: %w", ticket.ErrUnsupportedContentType, err)
	}
	id := derivedID(meta, "attachment")
	cmd := ticket.AttachDocument{
		TicketID: a.TicketID, AttachmentID: id, UploadedBy: meta.Actor, ByAgent: agent, Kind: a.Kind,
		ContentType: ct, Size: int64(len(content)), ExpiresOn: a.ExpiresOn, At: s.Now(),
	}
	t, err := s.loadTicket(ctx, a.TicketID)
	if err != nil {
		return "", err
	}
	for _, d := range t.Documents {
		if d.AttachmentID == id {
			// A retry of this command (the id is derived from it): Execute replays what was
			// recorded, whatever became of the file since.
			if _, err := s.execTicket(ctx, cmd, meta); err != nil {
				return "", err
			}
			return id, nil
		}
	}
	if _, err := ticket.Decide(t, cmd); err != nil {
		return "", err
	}
	class := attachment.ClassOther
	if a.Kind.IsIdentity() {
		class = attachment.ClassIdentity
	}
	if _, err := s.cfg.Attachments.Put(ctx, attachment.Upload{TicketID: a.TicketID, AttachmentID: id, Class: class, Content: content}); err != nil {
		return "", err
	}
	if _, err := s.execTicket(ctx, cmd, meta); err != nil {
		if isRefusal(err) {
			if derr := s.cfg.Attachments.Destroy(ctx, a.TicketID, id); derr != nil {
				return "", errors.Join(err, derr)
			}
		}
		return "", err
	}
	return id, nil
}

// isRefusal tells a decider's rejection (final) from a failure a retry may cure.
func isRefusal(err error) bool {
	for _, e := range []error{ticket.ErrInvalidInput, ticket.ErrTicketNotFound, ticket.ErrTicketClosed, ticket.ErrNotYourTicket,
		ticket.ErrUnsupportedContentType, ticket.ErrAttachmentTooLarge, ticket.ErrDocumentExpired, ticket.ErrTooManyAttachments, ticket.ErrDuplicateAttachment} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// Document is an attachment opened by an agent.
type Document struct {
	TicketID     string
	AttachmentID string
	Kind         ticket.DocumentKind
	ContentType  string
	Content      []byte
}

// ViewDocument opens a document for the agent handling the ticket. The view is recorded
// on the ticket before any byte is read (a refused view reads nothing), and the store logs
// the read too.
func (s *Service) ViewDocument(ctx context.Context, ticketID, attachmentID string, meta commands.Metadata) (Document, error) {
	if _, err := s.agent(ctx, meta); err != nil {
		return Document{}, err
	}
	if _, err := s.execTicket(ctx, ticket.ViewDocument{TicketID: ticketID, AttachmentID: attachmentID, AgentID: meta.Actor, At: s.Now()}, meta); err != nil {
		return Document{}, err
	}
	t, err := s.openedTicket(ctx, ticketID)
	if err != nil {
		return Document{}, err
	}
	doc := Document{TicketID: ticketID, AttachmentID: attachmentID}
	for _, d := range t.Documents {
		if d.AttachmentID == attachmentID {
			doc.Kind = d.Kind
		}
	}
	stored, err := s.cfg.Attachments.Open(ctx, ticketID, attachmentID, meta.Actor)
	if err != nil {
		return Document{}, err
	}
	doc.ContentType, doc.Content = stored.ContentType, stored.Content
	return doc, nil
}

// Verification is an agent's decision on a two-factor reset ticket.
type Verification struct {
	TicketID string
	// PortalAccountID is the portal account whose name and address the documents were
	// compared with; required to verify.
	PortalAccountID string
	Decision        ticket.Decision
	Reason          string
}

// VerifyIdentity records the assigned agent's decision. A verification names a portal
// account that exists, is a portal account, and has two-factor on (there is nothing to
// reset otherwise); the identity-verified policy then resets it.
func (s *Service) VerifyIdentity(ctx context.Context, v Verification, meta commands.Metadata) error {
	if _, err := s.agent(ctx, meta); err != nil {
		return err
	}
	t, err := s.loadTicket(ctx, v.TicketID)
	if err != nil {
		return err
	}
	// Once verified, the portal account's two-factor has been reset: checking it again
	// would refuse a retry. The decider replays a retry or says it is already verified.
	if v.Decision == ticket.DecisionVerified && t.Identity != ticket.DecisionVerified {
		if v.PortalAccountID == "" {
			return fmt.Errorf("%w: field portal_account_id: name the portal account whose name and address the documents match", ticket.ErrInvalidInput)
		}
		p, err := s.loadAccount(ctx, v.PortalAccountID)
		if err != nil {
			return err
		}
		switch {
		case !p.Registered():
			return fmt.Errorf("%w: field portal_account_id: %s", account.ErrAccountNotFound, v.PortalAccountID)
		case p.Realm != account.RealmPortal:
			return fmt.Errorf("%w: field portal_account_id: a two-factor reset is for a portal account, this is a %s account", account.ErrWrongRealm, p.Realm)
		case !p.TwoFactorEnabled():
			return fmt.Errorf("%w: field portal_account_id: this portal account has no two-factor to reset", account.ErrTwoFactorNotEnabled)
		}
	}
	_, err = s.execTicket(ctx, ticket.VerifyIdentity{TicketID: v.TicketID, AgentID: meta.Actor, Decision: v.Decision, Reason: v.Reason, PortalAccountID: v.PortalAccountID, At: s.Now()}, meta)
	return err
}

// DestroyExpiredDocuments destroys a closed ticket's identity documents once retention has
// passed since it closed, and returns how many it destroyed (0 when not yet due). The
// bytes and key go when the destruction policy sees the DocumentDestroyed events.
func (s *Service) DestroyExpiredDocuments(ctx context.Context, ticketID string, retention time.Duration, meta commands.Metadata) (int, error) {
	if err := checkMeta(meta); err != nil {
		return 0, err
	}
	res, err := s.execTicket(ctx, ticket.DestroyExpiredDocuments{TicketID: ticketID, Retention: retention, At: s.Now()}, meta)
	if err != nil {
		return 0, err
	}
	return len(res.Events), nil
}

// DestroyDocumentBytes deletes a destroyed document's bytes (and, with the last of a
// ticket's identity documents, their key). Idempotent.
func (s *Service) DestroyDocumentBytes(ctx context.Context, ticketID, attachmentID string) error {
	return s.cfg.Attachments.Destroy(ctx, ticketID, attachmentID)
}
