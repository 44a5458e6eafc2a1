package ticket_test

import (
	"testing"
	"time"

	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/ticket"
)

func TestAttachDocument(t *testing.T) {
	cmd := ticket.AttachDocument{TicketID: tk, AttachmentID: doc1, UploadedBy: requester, Kind: ticket.KindStudentCard, ContentType: "application/pdf", Size: 2048, ExpiresOn: date("2025-07-31"), At: at(1)}
	spec().Given(twoFA).When(cmd).Then(t, ticket.DocumentAttached{TicketID: tk, AttachmentID: doc1, Kind: ticket.KindStudentCard, ContentType: "application/pdf", Size: 2048, ExpiresOn: date("2025-07-31"), UploadedBy: requester, At: at(1)})
	byAgent := cmd
	byAgent.UploadedBy, byAgent.ByAgent, byAgent.Kind, byAgent.ExpiresOn = agent, true, ticket.KindOther, nil
	spec().Given(twoFA).When(byAgent).Then(t, ticket.DocumentAttached{TicketID: tk, AttachmentID: doc1, Kind: ticket.KindOther, ContentType: "application/pdf", Size: 2048, UploadedBy: agent, At: at(1)})
}

func TestAttachDocumentRejections(t *testing.T) {
	ok := ticket.AttachDocument{TicketID: tk, AttachmentID: doc1, UploadedBy: requester, Kind: ticket.KindPassport, ContentType: "image/jpeg", Size: 2048, At: t0}
	many := []ticket.Event{twoFA}
	for i := 0; i < ticket.MaxAttachments; i++ {
		many = append(many, attached(string(rune('a'+i)), ticket.KindOther, nil))
	}
	for name, c := range map[string]struct {
		given  []ticket.Event
		mutate func(*ticket.AttachDocument)
		want   error
	}{
		"unknown kind":           {nil, func(a *ticket.AttachDocument) { a.Kind = "library_card" }, ticket.ErrInvalidInput},
		"executable":             {nil, func(a *ticket.AttachDocument) { a.ContentType = "application/x-msdownload" }, ticket.ErrUnsupportedContentType},
		"heic":                   {nil, func(a *ticket.AttachDocument) { a.ContentType = "image/heic" }, ticket.ErrUnsupportedContentType},
		"empty file":             {nil, func(a *ticket.AttachDocument) { a.Size = 0 }, ticket.ErrInvalidInput},
		"too large":              {nil, func(a *ticket.AttachDocument) { a.Size = ticket.MaxAttachmentBytes + 1 }, ticket.ErrAttachmentTooLarge},
		"student card no expiry": {nil, func(a *ticket.AttachDocument) { a.Kind = ticket.KindStudentCard }, ticket.ErrInvalidInput},
		"expired student card":   {nil, func(a *ticket.AttachDocument) { a.Kind, a.ExpiresOn = ticket.KindStudentCard, date("2025-03-02") }, ticket.ErrDocumentExpired},
		"expired passport":       {nil, func(a *ticket.AttachDocument) { a.ExpiresOn = date("2024-01-01") }, ticket.ErrDocumentExpired},
		"impossible expiry date": {nil, func(a *ticket.AttachDocument) { a.ExpiresOn = &ledger.Date{Year: 2025, Month: 2, Day: 30} }, ticket.ErrInvalidInput},
		"no attachment id":       {nil, func(a *ticket.AttachDocument) { a.AttachmentID = "" }, ticket.ErrInvalidInput},
		"duplicate attachment":   {[]ticket.Event{attached(doc1, ticket.KindOther, nil)}, func(*ticket.AttachDocument) {}, ticket.ErrDuplicateAttachment},
		"too many attachments":   {many[1:], func(*ticket.AttachDocument) {}, ticket.ErrTooManyAttachments},
		"closed ticket":          {closedAt(time.Hour), func(a *ticket.AttachDocument) { a.At = at(2 * time.Hour) }, ticket.ErrTicketClosed},
	} {
		t.Run(name, func(t *testing.T) {
			cmd := ok
			c.mutate(&cmd)
			spec().Given(append([]ticket.Event{twoFA}, c.given...)...).When(cmd).ThenError(t, c.want)
		})
	}
	// A card valid until today still counts today (London date).
	today := ok
	today.Kind, today.ExpiresOn = ticket.KindStudentCard, date("2025-03-03")
	spec().Given(twoFA).When(today).ThenState(t, func(t testing.TB, s ticket.State) {
		if len(s.Documents) != 1 {
			t.Fatal("card expiring today refused")
		}
	})
}

func TestOnlyTheAssignedAgentViewsDocumentsAndEveryViewIsRecorded(t *testing.T) {
	given := []ticket.Event{twoFA, assigned(agent), attached(doc1, ticket.KindPassport, nil)}
	view := ticket.ViewDocument{TicketID: tk, AttachmentID: doc1, AgentID: agent, At: at(time.Hour)}
	spec().Given(given...).When(view).Then(t, ticket.DocumentViewed{TicketID: tk, AttachmentID: doc1, AgentID: agent, At: at(time.Hour)})
	spec().Given(append(given, viewed(doc1, agent))...).When(view).Then(t, ticket.DocumentViewed{TicketID: tk, AttachmentID: doc1, AgentID: agent, At: at(time.Hour)})
	other := view
	other.AgentID = agent2
	spec().Given(given...).When(other).ThenError(t, ticket.ErrNotAssignedAgent)
	spec().Given(twoFA, attached(doc1, ticket.KindPassport, nil)).When(view).ThenError(t, ticket.ErrNotAssignedAgent)
	missing := view
	missing.AttachmentID = doc2
	spec().Given(given...).When(missing).ThenError(t, ticket.ErrAttachmentNotFound)
	spec().Given(append(given, ticket.DocumentDestroyed{TicketID: tk, AttachmentID: doc1, At: at(time.Minute)})...).When(view).ThenError(t, ticket.ErrDocumentDestroyed)
}

func TestVerifyIdentityReliesOnTheViewedCurrentDocuments(t *testing.T) {
	spec().Given(twoFA, assigned(agent), attached(doc1, ticket.KindUtilityBill, nil), attached(doc2, ticket.KindOther, nil), viewed(doc1, agent), viewed(doc2, agent)).
		When(ticket.VerifyIdentity{TicketID: tk, AgentID: agent, Decision: ticket.DecisionVerified, At: at(time.Hour)}).
		Then(t, ticket.IdentityVerified{TicketID: tk, AgentID: agent, AttachmentIDs: []string{doc1}, At: at(time.Hour)})
}

func TestVerifyIdentityRejections(t *testing.T) {
	verify := ticket.VerifyIdentity{TicketID: tk, AgentID: agent, Decision: ticket.DecisionVerified, At: at(time.Hour)}
	card := attached(doc1, ticket.KindStudentCard, date("2025-03-10"))
	for name, c := range map[string]struct {
		given []ticket.Event
		cmd   ticket.VerifyIdentity
		want  error
	}{
		"not a 2FA ticket":       {[]ticket.Event{opened(ticket.CategoryPayments), assigned(agent)}, verify, ticket.ErrNotTwoFactorReset},
		"not assigned":           {[]ticket.Event{twoFA, attached(doc1, ticket.KindPassport, nil)}, verify, ticket.ErrNotAssignedAgent},
		"another agent":          {[]ticket.Event{twoFA, assigned(agent2), attached(doc1, ticket.KindPassport, nil)}, verify, ticket.ErrNotAssignedAgent},
		"no documents":           {[]ticket.Event{twoFA, assigned(agent)}, verify, ticket.ErrNoIdentityDocument},
		"only other documents":   {[]ticket.Event{twoFA, assigned(agent), attached(doc1, ticket.KindOther, nil), viewed(doc1, agent)}, verify, ticket.ErrNoIdentityDocument},
		"document destroyed":     {[]ticket.Event{twoFA, assigned(agent), attached(doc1, ticket.KindPassport, nil), viewed(doc1, agent), ticket.DocumentDestroyed{TicketID: tk, AttachmentID: doc1, At: at(4 * time.Minute)}}, verify, ticket.ErrNoIdentityDocument},
		"student card expired":   {[]ticket.Event{twoFA, assigned(agent), card, viewed(doc1, agent)}, ticket.VerifyIdentity{TicketID: tk, AgentID: agent, Decision: ticket.DecisionVerified, At: at(8 * day)}, ticket.ErrDocumentExpired},
		"not viewed":             {[]ticket.Event{twoFA, assigned(agent), attached(doc1, ticket.KindPassport, nil)}, verify, ticket.ErrDocumentNotViewed},
		"viewed by someone else": {[]ticket.Event{twoFA, assigned(agent2), attached(doc1, ticket.KindPassport, nil), viewed(doc1, agent2), assigned(agent)}, verify, ticket.ErrDocumentNotViewed},
		"rejection without why":  {[]ticket.Event{twoFA, assigned(agent)}, ticket.VerifyIdentity{TicketID: tk, AgentID: agent, Decision: ticket.DecisionRejected, At: at(time.Hour)}, ticket.ErrReasonRequired},
		"rejection blank why":    {[]ticket.Event{twoFA, assigned(agent)}, ticket.VerifyIdentity{TicketID: tk, AgentID: agent, Decision: ticket.DecisionRejected, Reason: " \n", At: at(time.Hour)}, ticket.ErrReasonRequired},
		"unknown decision":       {[]ticket.Event{twoFA, assigned(agent)}, ticket.VerifyIdentity{TicketID: tk, AgentID: agent, Decision: "maybe", At: at(time.Hour)}, ticket.ErrInvalidInput},
		"already verified":       {[]ticket.Event{twoFA, assigned(agent), ticket.IdentityVerified{TicketID: tk, AgentID: agent, AttachmentIDs: []string{doc1}, At: at(time.Minute)}}, verify, ticket.ErrIdentityAlreadyVerified},
		"closed":                 {append([]ticket.Event{twoFA, assigned(agent)}, closedAt(10*time.Minute)...), verify, ticket.ErrTicketClosed},
	} {
		t.Run(name, func(t *testing.T) { spec().Given(c.given...).When(c.cmd).ThenError(t, c.want) })
	}
	// The same card is accepted while current.
	spec().Given(twoFA, assigned(agent), card, viewed(doc1, agent)).When(verify).
		Then(t, ticket.IdentityVerified{TicketID: tk, AgentID: agent, AttachmentIDs: []string{doc1}, At: at(time.Hour)})
}

func TestARejectionSaysWhyAndAllowsANewAttempt(t *testing.T) {
	rejected := ticket.IdentityRejected{TicketID: tk, RequesterAccountID: requester, AgentID: agent, Reason: "The address on the bill is not the one in the portal.", At: at(time.Hour)}
	spec().Given(twoFA, assigned(agent)).
		When(ticket.VerifyIdentity{TicketID: tk, AgentID: agent, Decision: ticket.DecisionRejected, Reason: " The address on the bill is not the one in the portal. ", At: at(time.Hour)}).
		Then(t, rejected)
	spec().Given(twoFA, assigned(agent), rejected).When(ticket.VerifyIdentity{TicketID: tk, AgentID: agent, Decision: ticket.DecisionRejected, Reason: "x", At: at(2 * time.Hour)}).
		ThenState(t, func(t testing.TB, s ticket.State) {
			v := s.RequesterView()
			if v.Identity != ticket.DecisionRejected || v.IdentityReason != "x" {
				t.Fatalf("requester view %+v", v)
			}
		})
	spec().Given(twoFA, assigned(agent), rejected, attached(doc2, ticket.KindPassport, nil), viewed(doc2, agent)).
		When(ticket.VerifyIdentity{TicketID: tk, AgentID: agent, Decision: ticket.DecisionVerified, At: at(3 * time.Hour)}).
		Then(t, ticket.IdentityVerified{TicketID: tk, AgentID: agent, AttachmentIDs: []string{doc2}, At: at(3 * time.Hour)})
}

func TestIdentityDocumentsAreDestroyedOnceRetentionAfterClosingHasPassed(t *testing.T) {
	retention := 30 * day
	given := append([]ticket.Event{twoFA, attached(doc1, ticket.KindPassport, nil), attached(doc2, ticket.KindOther, nil), attached("att-3", ticket.KindCouncilTaxBill, nil)}, closedAt(day)...)
	sweep := func(d time.Duration) ticket.DestroyExpiredDocuments {
		return ticket.DestroyExpiredDocuments{TicketID: tk, Retention: retention, At: at(d)}
	}
	spec().Given(given...).When(sweep(day+retention+time.Second)).Then(t,
		ticket.DocumentDestroyed{TicketID: tk, AttachmentID: doc1, At: at(day + retention + time.Second)},
		ticket.DocumentDestroyed{TicketID: tk, AttachmentID: "att-3", At: at(day + retention + time.Second)},
	)
	spec().Given(given...).When(sweep(day + retention)).Then(t)
	spec().Given(twoFA, attached(doc1, ticket.KindPassport, nil), status(ticket.StatusNew, ticket.StatusSolved, day)).When(sweep(400 * day)).Then(t)
	destroyed := append(given, ticket.DocumentDestroyed{TicketID: tk, AttachmentID: doc1, At: at(40 * day)}, ticket.DocumentDestroyed{TicketID: tk, AttachmentID: "att-3", At: at(40 * day)})
	spec().Given(destroyed...).When(sweep(50 * day)).Then(t)
	spec().Given(given...).When(ticket.DestroyExpiredDocuments{TicketID: tk, At: at(50 * day)}).ThenError(t, ticket.ErrInvalidInput)
	spec().Given(destroyed...).When(sweep(50*day)).ThenState(t, func(t testing.TB, s ticket.State) {
		v := s.RequesterView()
		if !v.Documents[0].Destroyed || v.Documents[1].Destroyed {
			t.Fatalf("requester view documents %+v", v.Documents)
		}
	})
}
