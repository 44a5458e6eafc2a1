package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"ledgerdesk/app"
	"ledgerdesk/domain/ticket"
	psupport "ledgerdesk/projections/support"
)

// threadData is a ticket's page as its requester sees it: the ticket, its public replies
// (the read model the requester reads holds no internal note), and what they may do next.
type threadData struct {
	Ticket        psupport.RequesterTicket
	CategoryLabel string
	StatusLabel   string
	Documents     []threadDocument
	// CanReply: the form is shown; Reopens: sending it reopens a solved ticket, until
	// ReopenUntil. TooLate: solved more than ticket.ReopenWindow ago.
	CanReply    bool
	Reopens     bool
	ReopenUntil time.Time
	TooLate     bool
	Closed      bool
	Reply       string
	MaxBody     int
}

type threadDocument struct {
	Label      string
	AttachedAt time.Time
	Destroyed  bool
}

var documentLabels = map[ticket.DocumentKind]string{
	ticket.KindUKDrivingLicence: "UK driving licence",
	ticket.KindPassport:         "Passport",
	ticket.KindUtilityBill:      "Utility bill",
	ticket.KindCouncilTaxBill:   "Council tax bill",
	ticket.KindStudentCard:      "Current student card",
	ticket.KindOther:            "Other document",
}

func documentLabel(k ticket.DocumentKind) string {
	if l, ok := documentLabels[k]; ok {
		return l
	}
	return string(k)
}

// threadFor says what the requester may do with t at now: reply while it is live, reopen
// a solved one within the window the ticket itself enforces, nothing once closed.
func threadFor(t psupport.RequesterTicket, now time.Time) threadData {
	d := threadData{Ticket: t, CategoryLabel: categoryLabel(t.Category), StatusLabel: statusLabel(t.Status), MaxBody: ticket.MaxBodyLength}
	for _, doc := range t.Documents {
		d.Documents = append(d.Documents, threadDocument{Label: documentLabel(doc.Kind), AttachedAt: doc.AttachedAt, Destroyed: doc.Destroyed})
	}
	switch t.Status {
	case ticket.StatusClosed:
		d.Closed = true
	case ticket.StatusSolved:
		if t.SolvedAt != nil {
			d.ReopenUntil = t.SolvedAt.Add(ticket.ReopenWindow)
		}
		if t.SolvedAt == nil || !now.After(d.ReopenUntil) {
			d.CanReply, d.Reopens = true, true
		} else {
			d.TooLate = true
		}
	default:
		d.CanReply = true
	}
	return d
}

// thread is one ticket's page. Another requester's ticket reads as not found, like one
// that does not exist. After a reply, ?replies=N waits a moment for the read model to
// hold N replies, so the person sees what they sent.
func (s *Site) thread(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	t, err := s.cfg.App.TicketForRequester(r.Context(), s.call(r), id)
	if want, perr := strconv.Atoi(r.URL.Query().Get("replies")); perr == nil && want > 0 && want <= ticket.MaxMessages {
		for deadline := time.Now().Add(s.cfg.Fresh); err == nil && len(t.Replies) < want && time.Now().Before(deadline); {
			select {
			case <-r.Context().Done():
				return
			case <-time.After(50 * time.Millisecond):
			}
			t, err = s.cfg.App.TicketForRequester(r.Context(), s.call(r), id)
		}
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := view{Title: t.Subject, Nav: "tickets", Data: threadFor(t, s.cfg.Now())}
	switch {
	case r.URL.Query().Get("replies") != "":
		v.Notice = "Your reply has been sent to the support team."
	case r.URL.Query().Get("document") == "refused":
		v.Notice = "Your ticket has been opened, but the document file could not be kept. The support team will ask you for it again."
	}
	s.render(w, r, http.StatusOK, "thread", v)
}

var replyFields = map[string]formField{"body": {"reply", "Reply"}}

// reply posts the requester's public reply, which reopens a recently solved ticket. A
// refusal re-renders the page with the reply kept and the message beside it.
func (s *Site) reply(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	t, err := s.cfg.App.TicketForRequester(r.Context(), s.call(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := threadFor(t, s.cfg.Now())
	again := func(status int, errs fieldErrors) {
		s.render(w, r, status, "thread", view{Title: t.Subject, Nav: "tickets", Errors: errs, Data: d})
	}
	if err := r.ParseForm(); err != nil {
		again(http.StatusRequestEntityTooLarge, fieldErrors{{"reply", fmt.Sprintf("The reply is too long: at most %d characters.", ticket.MaxBodyLength)}})
		return
	}
	d.Reply = r.PostForm.Get("body")
	err = s.cfg.App.ReplyToTicket(r.Context(), s.call(r), id, d.Reply)
	switch {
	case err == nil:
		http.Redirect(w, r, fmt.Sprintf("/tickets/%s?replies=%d", id, len(t.Replies)+1), http.StatusSeeOther)
	case errors.Is(err, ticket.ErrReopenWindowPassed):
		again(http.StatusUnprocessableEntity, fieldErrors{{"reply", "This ticket was solved more than 7 days ago, so it cannot be reopened. Please open a new ticket."}})
	case errors.Is(err, ticket.ErrTicketClosed):
		again(http.StatusUnprocessableEntity, fieldErrors{{"reply", "This ticket is closed. Please open a new ticket."}})
	case errors.Is(err, ticket.ErrTooManyMessages):
		again(http.StatusUnprocessableEntity, fieldErrors{{"reply", "This ticket has as many messages as one ticket can hold. Please open a new ticket."}})
	default:
		if errs := formErrors(err, replyFields); errs != nil {
			again(http.StatusUnprocessableEntity, errs)
			return
		}
		if app.ClassOf(err) == app.Invalid {
			again(http.StatusUnprocessableEntity, fieldErrors{{"reply", "Please check your reply and try again."}})
			return
		}
		s.fail(w, r, err)
	}
}
