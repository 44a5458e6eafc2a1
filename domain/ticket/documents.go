package ticket

import (
	"fmt"
	"slices"

	"ledgerdesk/domain/check"
	"ledgerdesk/domain/ledger"
)

func attachDocument(s State, c AttachDocument) ([]Event, error) {
	if err := firstErr(live(s, c.TicketID, c.At), checkID("attachment_id", c.AttachmentID), checkID("uploaded_by", c.UploadedBy)); err != nil {
		return nil, err
	}
	if err := notClosed(s); err != nil {
		return nil, err
	}
	if !c.ByAgent && c.UploadedBy != s.RequesterAccountID {
		return nil, fmt.Errorf("%w: you can attach files only to tickets you opened", ErrNotYourTicket)
	}
	kind, err := ParseDocumentKind(string(c.Kind))
	if err != nil {
		return nil, err
	}
	if !acceptedContentType(c.ContentType) {
		return nil, fmt.Errorf("%w: field content_type: send a JPEG, PNG or WebP photo or a PDF scan", ErrUnsupportedContentType)
	}
	switch {
	case c.Size <= 0:
		return nil, check.Failf(ErrInvalidInput, "size", "the file is empty")
	case c.Size > MaxAttachmentBytes:
		return nil, fmt.Errorf("%w: field size: at most %d MiB", ErrAttachmentTooLarge, MaxAttachmentBytes>>20)
	}
	var expires *ledger.Date
	if c.ExpiresOn != nil {
		if d, err := ledger.ParseDate(c.ExpiresOn.String()); err != nil || d != *c.ExpiresOn {
			return nil, check.Failf(ErrInvalidInput, "expires_on", "not a real date")
		}
		d := *c.ExpiresOn
		expires = &d
	}
	if kind == KindStudentCard && expires == nil {
		return nil, check.Failf(ErrInvalidInput, "expires_on", "a student card is accepted only while current, so give its expiry date")
	}
	doc := Document{Kind: kind, ExpiresOn: expires}
	if doc.ExpiredAt(c.At) {
		return nil, fmt.Errorf("%w: field expires_on: the document expired on %s; send a current one", ErrDocumentExpired, expires)
	}
	if _, dup := s.document(c.AttachmentID); dup {
		return nil, fmt.Errorf("%w: field attachment_id", ErrDuplicateAttachment)
	}
	if len(s.Documents) >= MaxAttachments {
		return nil, fmt.Errorf("%w: at most %d per ticket", ErrTooManyAttachments, MaxAttachments)
	}
	return []Event{DocumentAttached{
		TicketID: s.ID, AttachmentID: c.AttachmentID, Kind: kind, ContentType: c.ContentType, Size: c.Size,
		ExpiresOn: expires, UploadedBy: c.UploadedBy, At: c.At,
	}}, nil
}

// viewDocument lets only the agent handling the ticket open a document, and records
// every view, closed tickets included (until the document is destroyed).
func viewDocument(s State, c ViewDocument) ([]Event, error) {
	if err := firstErr(live(s, c.TicketID, c.At), checkID("attachment_id", c.AttachmentID), checkID("agent_id", c.AgentID)); err != nil {
		return nil, err
	}
	i, ok := s.document(c.AttachmentID)
	if !ok {
		return nil, fmt.Errorf("%w: field attachment_id", ErrAttachmentNotFound)
	}
	if s.Documents[i].Destroyed() {
		return nil, fmt.Errorf("%w: its retention period has passed", ErrDocumentDestroyed)
	}
	if c.AgentID != s.AssigneeID {
		return nil, fmt.Errorf("%w: assign the ticket to yourself first", ErrNotAssignedAgent)
	}
	return []Event{DocumentViewed{TicketID: s.ID, AttachmentID: c.AttachmentID, AgentID: c.AgentID, At: c.At}}, nil
}

func verifyIdentity(s State, c VerifyIdentity) ([]Event, error) {
	if err := firstErr(live(s, c.TicketID, c.At), checkID("agent_id", c.AgentID)); err != nil {
		return nil, err
	}
	if err := notClosed(s); err != nil {
		return nil, err
	}
	if s.Category != CategoryTwoFactorReset {
		return nil, fmt.Errorf("%w: this ticket is about %s", ErrNotTwoFactorReset, s.Category)
	}
	if c.AgentID != s.AssigneeID {
		return nil, fmt.Errorf("%w: assign the ticket to yourself first", ErrNotAssignedAgent)
	}
	if s.Identity == DecisionVerified {
		return nil, fmt.Errorf("%w: nothing more to decide", ErrIdentityAlreadyVerified)
	}
	switch c.Decision {
	case DecisionVerified:
		if c.PortalAccountID != "" {
			if err := checkID("portal_account_id", c.PortalAccountID); err != nil {
				return nil, err
			}
		}
		ids, err := reliedOn(s, c)
		if err != nil {
			return nil, err
		}
		return []Event{IdentityVerified{TicketID: s.ID, AgentID: c.AgentID, AttachmentIDs: ids, PortalAccountID: c.PortalAccountID, At: c.At}}, nil
	case DecisionRejected:
		if c.Reason == "" {
			return nil, fmt.Errorf("%w: field reason: tell the requester what was wrong with the documents", ErrReasonRequired)
		}
		reason, err := checkText("reason", c.Reason, MaxReasonLength, true)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrReasonRequired, err)
		}
		return []Event{IdentityRejected{TicketID: s.ID, RequesterAccountID: s.RequesterAccountID, AgentID: c.AgentID, Reason: reason, At: c.At}}, nil
	}
	return nil, check.Failf(ErrInvalidInput, "decision", "must be verified or rejected")
}

// reliedOn lists the documents a verification rests on: current identity documents that
// this agent has actually opened. Checking a name and address means looking at them.
func reliedOn(s State, c VerifyIdentity) ([]string, error) {
	var usable, expired, viewed []string
	for _, d := range s.Documents {
		if !d.Kind.IsIdentity() || d.Destroyed() {
			continue
		}
		if d.ExpiredAt(c.At) {
			expired = append(expired, d.AttachmentID)
			continue
		}
		usable = append(usable, d.AttachmentID)
		if slices.Contains(d.ViewedBy, c.AgentID) {
			viewed = append(viewed, d.AttachmentID)
		}
	}
	switch {
	case len(usable) == 0 && len(expired) > 0:
		return nil, fmt.Errorf("%w: every identity document on the ticket is out of date; ask for a current one", ErrDocumentExpired)
	case len(usable) == 0:
		return nil, fmt.Errorf("%w: a UK driving licence, passport, utility bill, council tax bill or current student card is needed", ErrNoIdentityDocument)
	case len(viewed) == 0:
		return nil, fmt.Errorf("%w: open the document and compare its name and address with the portal account", ErrDocumentNotViewed)
	}
	return viewed, nil
}

func destroyExpiredDocuments(s State, c DestroyExpiredDocuments) ([]Event, error) {
	if err := live(s, c.TicketID, c.At); err != nil {
		return nil, err
	}
	if c.Retention <= 0 {
		return nil, check.Failf(ErrInvalidInput, "retention", "must be a positive duration")
	}
	if s.Status != StatusClosed || c.At.Sub(s.ClosedAt) <= c.Retention {
		return nil, nil
	}
	var events []Event
	for _, d := range s.Documents {
		if d.Kind.IsIdentity() && !d.Destroyed() {
			events = append(events, DocumentDestroyed{TicketID: s.ID, AttachmentID: d.AttachmentID, At: c.At})
		}
	}
	return events, nil
}
