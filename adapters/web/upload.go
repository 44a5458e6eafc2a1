package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"

	"ledgerdesk/commands"
	"ledgerdesk/commands/support"
	"ledgerdesk/commands/support/attachment"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/ticket"
)

// identityKinds are the documents a two-factor reset accepts, in the help page's order.
var identityKinds = []ticket.DocumentKind{ticket.KindUKDrivingLicence, ticket.KindPassport, ticket.KindUtilityBill, ticket.KindCouncilTaxBill, ticket.KindStudentCard}

// Upload limits. The form's text fields together are at most maxFormBytes, one file at
// most ticket.MaxAttachmentBytes; a request larger than both and some room for the
// multipart framing is cut off unread.
const (
	maxUploadRequest = maxFormBytes + ticket.MaxAttachmentBytes + 64<<10
	maxFieldBytes    = ticket.MaxBodyLength*4 + 1024
	maxParts         = 16
)

// ticketForm is the open-a-ticket form as read: its text fields, and the file if one was
// chosen (file is nil when none was; tooLarge when the file ran past the limit, in which
// case only its first bytes were read and none is kept).
type ticketForm struct {
	fields   map[string]string
	file     []byte
	fileName bool
	tooLarge bool
}

func (f ticketForm) get(name string) string { return f.fields[name] }

// errFormUnreadable is a body that is not the form the page sends.
var errFormUnreadable = errors.New("the form could not be read")

// readTicketForm reads the form, urlencoded or multipart (the page sends multipart, for
// the file). It reads a multipart body part by part, so a file over the limit is
// recognised after MaxAttachmentBytes+1 bytes, and the fields before it (the page puts the
// file last) are still there to show again. Nothing is written anywhere while reading.
func readTicketForm(w http.ResponseWriter, r *http.Request) (ticketForm, error) {
	f := ticketForm{fields: map[string]string{}}
	ct, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || ct != "multipart/form-data" {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		if err := r.ParseForm(); err != nil {
			return f, fmt.Errorf("%w: %w", errFormUnreadable, err)
		}
		for k, v := range r.PostForm {
			if len(v) > 0 {
				f.fields[k] = v[0]
			}
		}
		return f, nil
	}
	if params["boundary"] == "" {
		return f, fmt.Errorf("%w: no boundary", errFormUnreadable)
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUploadRequest)
	return parseTicketMultipart(multipart.NewReader(r.Body, params["boundary"]), f)
}

// parseTicketMultipart reads the parts of the form into f.
func parseTicketMultipart(mr *multipart.Reader, f ticketForm) (ticketForm, error) {
	for n := 0; ; n++ {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return f, nil
		}
		if err != nil {
			return f, fmt.Errorf("%w: %w", errFormUnreadable, err)
		}
		if n >= maxParts {
			return f, fmt.Errorf("%w: more than %d parts", errFormUnreadable, maxParts)
		}
		name := part.FormName()
		switch {
		case name == "document":
			if part.FileName() == "" {
				// A file input with nothing chosen still sends an empty part.
				_, _ = io.Copy(io.Discard, io.LimitReader(part, 1))
				continue
			}
			b, err := io.ReadAll(io.LimitReader(part, ticket.MaxAttachmentBytes+1))
			if err != nil {
				return f, fmt.Errorf("%w: %w", errFormUnreadable, err)
			}
			f.fileName = true
			if len(b) > ticket.MaxAttachmentBytes {
				f.tooLarge, f.file = true, nil
				// The rest of the file is not read: the page puts it last, so nothing
				// the person typed comes after it.
				return f, nil
			}
			f.file = b
		case name != "":
			b, err := io.ReadAll(io.LimitReader(part, maxFieldBytes+1))
			if err != nil {
				return f, fmt.Errorf("%w: %w", errFormUnreadable, err)
			}
			if len(b) > maxFieldBytes {
				return f, fmt.Errorf("%w: field %s is too long", errFormUnreadable, name)
			}
			if _, seen := f.fields[name]; !seen {
				f.fields[name] = string(b)
			}
		}
		_ = part.Close()
	}
}

// document is the identity document a two-factor reset form carries, checked.
type document struct {
	kind    ticket.DocumentKind
	expires *ledger.Date
	content []byte
}

// checkDocument checks the two-factor reset's document before anything is stored: the
// kind, the expiry a student card needs, and the file, whose type is sniffed from its
// bytes (the name and the browser's claim are ignored) and which must decode whole.
func (s *Site) checkDocument(f ticketForm, d newTicketData) (document, fieldErrors) {
	var doc document
	var errs fieldErrors
	kind, err := ticket.ParseDocumentKind(d.DocumentKind)
	if err != nil || !kind.IsIdentity() {
		errs = append(errs, fieldError{"document_kind", "Choose which document you are sending: a UK driving licence, passport, utility bill, council tax bill or current student card."})
	}
	doc.kind = kind
	if d.ExpiresOn != "" {
		dt, err := ledger.ParseDate(d.ExpiresOn)
		if err != nil {
			errs = append(errs, fieldError{"expires_on", "Enter the expiry date as it is printed on the document, for example 2027-07-31."})
		} else {
			doc.expires = &dt
		}
	}
	if kind == ticket.KindStudentCard && d.ExpiresOn == "" {
		errs = append(errs, fieldError{"expires_on", "A student card is accepted only while it is current: enter the expiry date printed on it."})
	}
	if doc.expires != nil && (ticket.Document{Kind: kind, ExpiresOn: doc.expires}).ExpiredAt(s.cfg.Now()) {
		errs = append(errs, fieldError{"expires_on", fmt.Sprintf("This document expired on %s. Please send one that is current.", doc.expires)})
	}
	switch {
	case f.tooLarge:
		errs = append(errs, fieldError{"document", fmt.Sprintf("The file is larger than %d MB. Send a smaller photo or scan, then choose it again.", ticket.MaxAttachmentBytes>>20)})
	case !f.fileName || len(f.file) == 0:
		errs = append(errs, fieldError{"document", "Choose a photo or scan of your document."})
	default:
		if _, err := attachment.Sniff(f.file); err != nil {
			errs = append(errs, fieldError{"document", "This file is not a photo or scan we can accept: send a JPEG, PNG or WebP photo, or a PDF, then choose it again."})
		} else {
			doc.content = f.file
		}
	}
	return doc, errs
}

// openTicket opens a ticket from the form. A two-factor reset must carry its identity
// document: every check on the document and the fields is made before anything is
// written, so a refused form stores no file and opens no ticket.
func (s *Site) openTicket(w http.ResponseWriter, r *http.Request) {
	f, err := readTicketForm(w, r)
	d := s.ticketForm(f.get("category"))
	d.SeenIP = requestOf(r.Context()).ip
	d.Subject, d.Body, d.IP = f.get("subject"), f.get("body"), strings.TrimSpace(f.get("ip"))
	d.DocumentKind, d.ExpiresOn = f.get("document_kind"), strings.TrimSpace(f.get("expires_on"))
	again := func(status int, errs fieldErrors) {
		s.render(w, r, status, "newticket", view{Title: "Open a ticket", Nav: "new", Errors: errs, Data: d})
	}
	if err != nil {
		again(http.StatusRequestEntityTooLarge, fieldErrors{{"body", fmt.Sprintf("The form could not be read. A ticket's description is at most %d characters and a file at most %d MB.", ticket.MaxBodyLength, ticket.MaxAttachmentBytes>>20)}})
		return
	}
	category, err := ticket.ParseCategory(d.Category)
	if err != nil {
		again(http.StatusUnprocessableEntity, fieldErrors{{"category", "Choose what your ticket is about."}})
		return
	}
	var doc document
	if category == ticket.CategoryTwoFactorReset {
		var errs fieldErrors
		if doc, errs = s.checkDocument(f, d); errs != nil {
			status := http.StatusUnprocessableEntity
			if f.tooLarge {
				status = http.StatusRequestEntityTooLarge
			}
			again(status, errs)
			return
		}
	}
	n := support.NewTicket{Category: category, Subject: d.Subject, Body: d.Body}
	// An address is personal data: it goes on a ticket only where the ticket is about it.
	if category == ticket.CategoryBlockedIP {
		n.IP = d.IP
	}
	id, err := s.cfg.App.OpenTicket(r.Context(), s.call(r), n)
	if err != nil {
		if errs := formErrors(err, ticketFields); errs != nil {
			again(http.StatusUnprocessableEntity, errs)
			return
		}
		s.fail(w, r, err)
		return
	}
	if doc.content != nil {
		err := s.cfg.App.TicketStep(r.Context(), s.call(r), "ticket.attach", id, func(ctx context.Context, svc *support.Service, meta commands.Metadata) error {
			_, err := svc.Attach(ctx, support.Attachment{TicketID: id, Kind: doc.kind, Content: doc.content, ExpiresOn: doc.expires}, meta)
			return err
		})
		if err != nil {
			// The ticket is open; the file could not be kept (it failed the full check
			// the store makes). Say so on the ticket's own page rather than lose the ticket.
			s.log.WarnContext(r.Context(), "web: the document of a new ticket was refused", "ticket_id", id, "err", err)
			http.Redirect(w, r, "/tickets/"+id+"?document=refused", http.StatusSeeOther)
			return
		}
	}
	http.Redirect(w, r, "/tickets?opened="+id, http.StatusSeeOther)
}
