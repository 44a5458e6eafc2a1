package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"ledgerdesk/app"
	"ledgerdesk/app/authz"
	"ledgerdesk/commands/support"
	"ledgerdesk/commands/support/attachment"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/ticket"
	psupport "ledgerdesk/projections/support"
)

// Form limits, stated once and checked before anything is sent on.
const (
	maxFormBytes    = 64 << 10
	maxEmailLength  = 320
	maxPasswordSize = 1000
)

func (s *Site) home(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "home", view{Title: "Support Centre", Nav: "home", Data: identityDocuments})
}

// identityDocuments are the documents a two-factor reset accepts, as the help page lists them.
var identityDocuments = []string{"UK driving licence", "passport", "utility bill", "council tax bill", "current student card"}

func (s *Site) faq(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "faq", view{Title: "Frequently asked questions", Nav: "faq", Data: faqEntries})
}

// signInData is the sign-in form as filled in: the password is never sent back.
type signInData struct {
	Email string
	Next  string
}

func (s *Site) signInForm(w http.ResponseWriter, r *http.Request) {
	v := view{Title: "Sign in", Nav: "signin", Data: signInData{Next: nextFor(r.URL.Query().Get("next"))}}
	if r.URL.Query().Get("reset") == "done" {
		v.Notice = "Your password has been changed. Sign in with your new password."
	}
	s.render(w, r, http.StatusOK, "signin", v)
}

func (s *Site) signIn(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.render(w, r, http.StatusBadRequest, "signin", view{Title: "Sign in", Nav: "signin", Errors: fieldErrors{{"email", "The form could not be read; please try again."}}, Data: signInData{Next: "/tickets"}})
		return
	}
	d := signInData{Email: strings.TrimSpace(r.PostForm.Get("email")), Next: nextFor(r.PostForm.Get("next"))}
	password, code := r.PostForm.Get("password"), strings.TrimSpace(r.PostForm.Get("code"))
	again := func(status int, errs fieldErrors) {
		s.render(w, r, status, "signin", view{Title: "Sign in", Nav: "signin", Errors: errs, Data: d})
	}
	var errs fieldErrors
	switch {
	case d.Email == "":
		errs = append(errs, fieldError{"email", "Enter your email address."})
	case len(d.Email) > maxEmailLength:
		errs = append(errs, fieldError{"email", fmt.Sprintf("An email address is at most %d characters.", maxEmailLength)})
	}
	switch {
	case password == "":
		errs = append(errs, fieldError{"password", "Enter your password."})
	case len(password) > maxPasswordSize:
		errs = append(errs, fieldError{"password", fmt.Sprintf("A password is at most %d characters.", maxPasswordSize)})
	}
	if len(code) > 40 {
		errs = append(errs, fieldError{"code", "The authenticator code is the six digits your app shows; a recovery code is twelve letters and digits."})
	}
	if errs != nil {
		again(http.StatusUnprocessableEntity, errs)
		return
	}
	if s.overSignInLimit(w, r, d.Email, "sign-in attempts", again) {
		return
	}
	a, ok := s.authenticate(w, r, d.Email, password, code, again)
	if !ok {
		return
	}
	// An agent's session is a staff session, whichever page starts it: two-factor first.
	if support.IsAgent(a) {
		if err := support.CheckStaffSession(a); err != nil {
			again(http.StatusForbidden, fieldErrors{{"code", staffTwoFactorMessage}})
			return
		}
	}
	c, err := s.cfg.Sessions.Start(r.Context(), authz.Actor{Subject: a.ID, Role: roleOf(a)})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.SetCookie(w, c)
	http.Redirect(w, r, d.Next, http.StatusSeeOther)
}

// roleOf is the role a support-site account acts in. The support site does not know
// whether a requester is a patient or a clinician (its accounts are separate from the
// portal's), and both have the same rights on their own tickets, so a requester acts as a
// patient; an agent as a support agent.
func roleOf(a account.State) authz.Role {
	if a.Role == account.RoleAgent {
		return authz.SupportAgent
	}
	return authz.Patient
}

func (s *Site) signOut(w http.ResponseWriter, r *http.Request) {
	if rq := requestOf(r.Context()); rq.signedIn {
		c, err := s.cfg.Sessions.End(r.Context(), rq.secret)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		http.SetCookie(w, c)
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *Site) call(r *http.Request) app.Call {
	a, _ := actor(r)
	rq := requestOf(r.Context())
	return app.Call{Actor: a, Door: app.Web, CorrelationID: rq.id}
}

// ticketsData is My tickets.
type ticketsData struct {
	Tickets []ticketRow
	Opened  bool
}

type ticketRow struct {
	psupport.RequesterTicket
	CategoryLabel string
	StatusLabel   string
	LastReply     *psupport.Reply
}

func (s *Site) myTickets(w http.ResponseWriter, r *http.Request) {
	opened := r.URL.Query().Get("opened")
	ts, err := s.cfg.App.MyTickets(r.Context(), s.call(r))
	// A ticket just opened may not have reached the read model yet: wait a moment for it
	// rather than show a list without it.
	for deadline := s.cfg.Now().Add(s.cfg.Fresh); err == nil && opened != "" && !hasTicket(ts, opened) && s.cfg.Now().Before(deadline); {
		select {
		case <-r.Context().Done():
			return
		case <-time.After(50 * time.Millisecond):
		}
		ts, err = s.cfg.App.MyTickets(r.Context(), s.call(r))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := ticketsData{Opened: opened != ""}
	for _, t := range ts {
		row := ticketRow{RequesterTicket: t, CategoryLabel: categoryLabel(t.Category), StatusLabel: statusLabel(t.Status)}
		if n := len(t.Replies); n > 0 {
			row.LastReply = &t.Replies[n-1]
		}
		d.Tickets = append(d.Tickets, row)
	}
	v := view{Title: "My tickets", Nav: "tickets", Data: d}
	if d.Opened {
		v.Notice = "Your ticket has been opened. The support team will reply here."
	} else if r.URL.Query().Get("welcome") != "" {
		v.Notice = "Your support-site account is ready, and you are signed in. Open a ticket whenever you need help."
	}
	s.render(w, r, http.StatusOK, "tickets", v)
}

func hasTicket(ts []psupport.RequesterTicket, id string) bool {
	for _, t := range ts {
		if t.TicketID == id {
			return true
		}
	}
	return false
}

// newTicketData is the open-a-ticket form as filled in.
type newTicketData struct {
	Categories []categoryOption
	Category   string
	Subject    string
	Body       string
	IP         string
	SeenIP     string
	MaxSubject int
	MaxBody    int
	// The identity document a two-factor reset carries (upload.go).
	Documents    []categoryOption
	DocumentKind string
	ExpiresOn    string
	MaxFileMiB   int
	Accept       string
}

type categoryOption struct {
	Value, Label string
}

func (s *Site) ticketForm(category string) newTicketData {
	d := newTicketData{Category: category, MaxSubject: ticket.MaxSubjectLength, MaxBody: ticket.MaxBodyLength,
		MaxFileMiB: ticket.MaxAttachmentBytes >> 20, Accept: strings.Join(attachment.AcceptedTypes, ",")}
	for _, k := range identityKinds {
		d.Documents = append(d.Documents, categoryOption{Value: string(k), Label: documentLabel(k)})
	}
	for _, c := range categoryOrder {
		d.Categories = append(d.Categories, categoryOption{Value: string(c), Label: categoryLabel(c)})
	}
	return d
}

func (s *Site) newTicketForm(w http.ResponseWriter, r *http.Request) {
	category := r.URL.Query().Get("category")
	if _, err := ticket.ParseCategory(category); err != nil {
		category = ""
	}
	d := s.ticketForm(category)
	d.SeenIP = requestOf(r.Context()).ip
	d.IP = d.SeenIP
	// The equipment test carries its result here to be attached to a ticket.
	if result := equipmentResult(r.URL.Query().Get("equipment")); result != "" {
		d.Subject, d.Body = "Equipment test result", result+"\n\n"
	}
	s.render(w, r, http.StatusOK, "newticket", view{Title: "Open a ticket", Nav: "new", Data: d})
}

// fail renders what went wrong in words the person can act on; an error nobody named
// is logged and shown as a plain apology.
func (s *Site) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, title, msg := http.StatusInternalServerError, "Sorry, something went wrong", "Please try again in a few minutes."
	switch app.ClassOf(err) {
	case app.Unauthenticated:
		http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
		return
	case app.Forbidden:
		status, title, msg = http.StatusForbidden, "You cannot do that", "Your account is not allowed to do this."
	case app.NotFound:
		status, title, msg = http.StatusNotFound, "Not found", "We could not find that."
	case app.Rejected, app.Conflict, app.Invalid:
		status, title, msg = http.StatusUnprocessableEntity, "That could not be done", "Please check what you entered and try again."
	default:
		s.log.ErrorContext(r.Context(), "web: request failed", "route", requestOf(r.Context()).route, "err", err)
	}
	s.render(w, r, status, "problem", view{Title: title, Data: msg})
}
