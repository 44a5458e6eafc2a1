package ticket_test

import (
	"strings"
	"testing"
	"time"

	"ledgerdesk/domain/contact"
	"ledgerdesk/domain/ticket"
)

func TestOpenStartsNewWithNormalPriority(t *testing.T) {
	spec().When(ticket.Open{TicketID: tk, RequesterAccountID: requester, Category: ticket.CategoryPayments, Subject: "  Missing payment ", Body: "Hello,\n\tWhere is it?\n", At: t0}).
		ThenState(t, func(t testing.TB, s ticket.State) {
			if s.Status != ticket.StatusNew || s.Priority != ticket.PriorityNormal || s.Subject != "Missing payment" || s.Body != "Hello,\n\tWhere is it?" {
				t.Fatalf("state %+v", s)
			}
		})
}

func TestABlockedIPTicketMustCarryAValidIP(t *testing.T) {
	base := ticket.Open{TicketID: tk, RequesterAccountID: requester, Category: ticket.CategoryBlockedIP, Subject: "Blocked", Body: "I cannot see the login screen", At: t0}
	withIP := base
	withIP.IP = " 2001:DB8::7 "
	spec().When(withIP).Then(t, ticket.Opened{TicketID: tk, RequesterAccountID: requester, Category: ticket.CategoryBlockedIP, Subject: "Blocked", Body: "I cannot see the login screen", IP: "2001:db8::7", At: t0})
	spec().When(base).ThenError(t, contact.ErrInvalidIP)
	bad := base
	bad.IP = "my home"
	spec().When(bad).ThenError(t, ticket.ErrInvalidInput)
	zoned := base
	zoned.IP = "fe80::1%en0"
	spec().When(zoned).ThenError(t, contact.ErrInvalidIP)
	// Another category may carry an IP, but it must still be one.
	other := bad
	other.Category = ticket.CategoryLoginTrouble
	spec().When(other).ThenError(t, contact.ErrInvalidIP)
}

func TestOpenRejections(t *testing.T) {
	ok := ticket.Open{TicketID: tk, RequesterAccountID: requester, Category: ticket.CategoryOther, Subject: "Hi", Body: "Text", At: t0}
	for name, c := range map[string]struct {
		mutate func(*ticket.Open)
		want   error
	}{
		"no ticket id":       {func(o *ticket.Open) { o.TicketID = "" }, ticket.ErrInvalidInput},
		"no requester":       {func(o *ticket.Open) { o.RequesterAccountID = "" }, ticket.ErrInvalidInput},
		"no time":            {func(o *ticket.Open) { o.At = time.Time{} }, ticket.ErrInvalidInput},
		"unknown category":   {func(o *ticket.Open) { o.Category = "complaint" }, ticket.ErrInvalidInput},
		"blank subject":      {func(o *ticket.Open) { o.Subject = " \t" }, ticket.ErrInvalidInput},
		"multi-line subject": {func(o *ticket.Open) { o.Subject = "a\nb" }, ticket.ErrInvalidInput},
		"subject too long":   {func(o *ticket.Open) { o.Subject = strings.Repeat("x", ticket.MaxSubjectLength+1) }, ticket.ErrInvalidInput},
		"blank body":         {func(o *ticket.Open) { o.Body = "\n" }, ticket.ErrInvalidInput},
		"body too long":      {func(o *ticket.Open) { o.Body = strings.Repeat("x", ticket.MaxBodyLength+1) }, ticket.ErrInvalidInput},
		"control char":       {func(o *ticket.Open) { o.Body = "a\x1bb" }, ticket.ErrInvalidInput},
		"invalid utf-8 text": {func(o *ticket.Open) { o.Body = "a\xffb" }, ticket.ErrInvalidInput},
	} {
		t.Run(name, func(t *testing.T) {
			cmd := ok
			c.mutate(&cmd)
			spec().When(cmd).ThenError(t, c.want)
		})
	}
	spec().Given(opened(ticket.CategoryOther)).When(ok).ThenError(t, ticket.ErrAlreadyOpened)
}

func TestEveryOtherCommandNeedsAnOpenedTicket(t *testing.T) {
	for _, c := range []ticket.Command{
		ticket.PublicReply{TicketID: tk, AuthorID: requester, Body: "x", At: t0},
		ticket.InternalNote{TicketID: tk, AgentID: agent, Body: "x", At: t0},
		ticket.Assign{TicketID: tk, AgentID: agent, By: agent, At: t0},
		ticket.SetPriority{TicketID: tk, Priority: ticket.PriorityHigh, By: agent, At: t0},
		ticket.ChangeStatus{TicketID: tk, To: ticket.StatusOpen, By: agent, ByAgent: true, At: t0},
		ticket.AttachDocument{TicketID: tk, AttachmentID: doc1, UploadedBy: requester, Kind: ticket.KindPassport, ContentType: "image/png", Size: 1, At: t0},
		ticket.ViewDocument{TicketID: tk, AttachmentID: doc1, AgentID: agent, At: t0},
		ticket.VerifyIdentity{TicketID: tk, AgentID: agent, Decision: ticket.DecisionVerified, At: t0},
		ticket.DestroyExpiredDocuments{TicketID: tk, Retention: day, At: t0},
	} {
		spec().When(c).ThenError(t, ticket.ErrTicketNotFound)
	}
	spec().Given(twoFA).When(ticket.Assign{TicketID: "other", AgentID: agent, By: agent, At: t0}).ThenError(t, ticket.ErrInvalidInput)
}

type bogus struct{ ticket.Command }

func TestUnknownCommandIsRefusedWithoutPanic(t *testing.T) {
	spec().When(bogus{}).ThenError(t, ticket.ErrUnknownCommand)
	spec().When(ticket.Command(nil)).ThenError(t, ticket.ErrUnknownCommand)
}
