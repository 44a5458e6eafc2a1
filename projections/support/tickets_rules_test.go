package support_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"ledgerdesk/domain/account"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/ticket"
	"ledgerdesk/projections/projectiontest"
	readmodel "ledgerdesk/projections/support"
)

var opened = time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC)

func at(h int) time.Time { return opened.Add(time.Duration(h) * time.Hour) }

func openedBy(id, requester string, c ticket.Category, when time.Time) ticket.Opened {
	return ticket.Opened{TicketID: id, RequesterAccountID: requester, Category: c, Subject: "Subject of " + id, Body: "Body of " + id, At: when}
}

func ticketsSpec(t *testing.T) *projectiontest.Spec {
	return projectiontest.New(t, readmodel.NewTickets)
}

func agentView(t *testing.T, s *projectiontest.Spec, id string) readmodel.AgentTicket {
	t.Helper()
	v, err := readmodel.AgentTicketView(s.Ctx, s.DB, id, at(10))
	s.Must(err)
	return v
}

func timelineOf(t *testing.T, s *projectiontest.Spec, id string) []string {
	t.Helper()
	tl, err := readmodel.Timeline(s.Ctx, s.DB, id)
	s.Must(err)
	var out []string
	for _, e := range tl {
		out = append(out, e.Actor+": "+e.Summary)
	}
	return out
}

func queue(t *testing.T, s *projectiontest.Spec, f readmodel.QueueFilter) string {
	t.Helper()
	f.Now = at(10)
	items, err := readmodel.Queue(s.Ctx, s.DB, f)
	s.Must(err)
	var out []string
	for _, it := range items {
		out = append(out, it.TicketID)
	}
	return strings.Join(out, ",")
}

func TestAnOpenedTicketIsNewNormalAndInTheQueue(t *testing.T) {
	t.Parallel()
	s := ticketsSpec(t)
	s.GivenBy("r1", ticket.StreamID("t1"), openedBy("t1", "r1", ticket.CategoryLoginTrouble, opened))
	v := agentView(t, s, "t1")
	if v.Status != ticket.StatusNew || v.Priority != ticket.PriorityNormal || v.Subject != "Subject of t1" || v.Body != "Body of t1" ||
		v.RequesterAccountID != "r1" || v.Age != 10*time.Hour || !v.UpdatedAt.Equal(opened) {
		t.Fatalf("ticket = %+v", v)
	}
	if q := queue(t, s, readmodel.QueueFilter{}); q != "t1" {
		t.Fatalf("queue = %s", q)
	}
	if tl := timelineOf(t, s, "t1"); len(tl) != 1 || tl[0] != "r1: opened a login_trouble ticket: Subject of t1" {
		t.Fatalf("timeline = %q", tl)
	}
}

func TestTheOpeningIsTheRequestersWhenTheMetadataNamesNobody(t *testing.T) {
	t.Parallel()
	s := ticketsSpec(t)
	rec := s.Record("", ticket.StreamID("t1"), openedBy("t1", "r1", ticket.CategoryOther, opened))[0]
	rec.Metadata = nil
	s.Apply(rec)
	if tl := timelineOf(t, s, "t1"); len(tl) != 1 || !strings.HasPrefix(tl[0], "r1: opened") {
		t.Fatalf("timeline = %q", tl)
	}
}

func TestPublicRepliesAreCountedAndShownToBothSides(t *testing.T) {
	t.Parallel()
	s := ticketsSpec(t)
	s.Given(ticket.StreamID("t1"), openedBy("t1", "r1", ticket.CategoryOther, opened),
		ticket.PublicReplyPosted{TicketID: "t1", RequesterAccountID: "r1", AuthorID: "agent1", ByAgent: true, Body: "Try again?", At: at(1)},
		ticket.PublicReplyPosted{TicketID: "t1", RequesterAccountID: "r1", AuthorID: "r1", Body: "Works now.", At: at(2)})
	v := agentView(t, s, "t1")
	if v.PublicReplies != 2 || len(v.Replies) != 2 || v.Replies[0].AuthorID != "agent1" || !v.UpdatedAt.Equal(at(2)) {
		t.Fatalf("agent view = %+v", v)
	}
	rv, err := readmodel.RequesterTicketView(s.Ctx, s.DB, "r1", "t1")
	s.Must(err)
	if len(rv.Replies) != 2 || !rv.Replies[0].FromSupport || rv.Replies[1].FromSupport || rv.Replies[1].Body != "Works now." {
		t.Fatalf("requester view = %+v", rv)
	}
	if tl := timelineOf(t, s, "t1"); len(tl) != 3 || tl[1] != "agent1: public reply by an agent" || tl[2] != "r1: public reply by the requester" {
		t.Fatalf("timeline = %q", tl)
	}
}

func TestInternalNotesAreForAgentsOnly(t *testing.T) {
	t.Parallel()
	s := ticketsSpec(t)
	s.Given(ticket.StreamID("t1"), openedBy("t1", "r1", ticket.CategoryOther, opened),
		ticket.InternalNoteAdded{TicketID: "t1", RequesterAccountID: "r1", AgentID: "agent1", Body: "SECRET NOTE", At: at(1)})
	if v := agentView(t, s, "t1"); v.InternalNotes != 1 || len(v.Notes) != 1 || v.Notes[0].Body != "SECRET NOTE" {
		t.Fatalf("agent view = %+v", v)
	}
	rv, err := readmodel.RequesterTicketView(s.Ctx, s.DB, "r1", "t1")
	s.Must(err)
	mine, err := readmodel.RequesterTickets(s.Ctx, s.DB, "r1")
	s.Must(err)
	b, _ := json.Marshal([]any{rv, mine})
	if strings.Contains(string(b), "SECRET NOTE") {
		t.Fatalf("the requester sees the note: %s", b)
	}
	tl, err := readmodel.Timeline(s.Ctx, s.DB, "t1")
	s.Must(err)
	if len(tl) != 2 || !tl[1].Internal || tl[1].Detail != "SECRET NOTE" || tl[0].Internal {
		t.Fatalf("timeline = %+v", tl)
	}
}

func TestAnAssignedTicketIsInItsAgentsQueueOnly(t *testing.T) {
	t.Parallel()
	s := ticketsSpec(t)
	s.Given(ticket.StreamID("t1"), openedBy("t1", "r1", ticket.CategoryOther, opened), ticket.Assigned{TicketID: "t1", AgentID: "kim", By: "sam", At: at(1)})
	s.Given(ticket.StreamID("t2"), openedBy("t2", "r1", ticket.CategoryOther, at(1)))
	if q := queue(t, s, readmodel.QueueFilter{AssigneeID: "kim"}); q != "t1" {
		t.Fatalf("kim's queue = %s", q)
	}
	if q := queue(t, s, readmodel.QueueFilter{Unassigned: true}); q != "t2" {
		t.Fatalf("unassigned = %s", q)
	}
	if tl := timelineOf(t, s, "t1"); tl[1] != "sam: assigned to kim" {
		t.Fatalf("timeline = %q", tl)
	}
}

func TestTheQueueIsMostUrgentFirstThenOldest(t *testing.T) {
	t.Parallel()
	s := ticketsSpec(t)
	s.Given(ticket.StreamID("old"), openedBy("old", "r1", ticket.CategoryOther, opened))
	s.Given(ticket.StreamID("newer"), openedBy("newer", "r1", ticket.CategoryOther, at(1)))
	s.Given(ticket.StreamID("urgent"), openedBy("urgent", "r1", ticket.CategoryBlockedIP, at(2)),
		ticket.PriorityChanged{TicketID: "urgent", From: ticket.PriorityNormal, To: ticket.PriorityUrgent, By: "sam", At: at(3)})
	s.Given(ticket.StreamID("low"), openedBy("low", "r1", ticket.CategoryOther, opened),
		ticket.PriorityChanged{TicketID: "low", From: ticket.PriorityNormal, To: ticket.PriorityLow, By: "sam", At: at(3)})
	if q := queue(t, s, readmodel.QueueFilter{}); q != "urgent,old,newer,low" {
		t.Fatalf("queue = %s", q)
	}
	if q := queue(t, s, readmodel.QueueFilter{Category: ticket.CategoryBlockedIP}); q != "urgent" {
		t.Fatalf("blocked-IP queue = %s", q)
	}
	if q := queue(t, s, readmodel.QueueFilter{OlderThan: 9*time.Hour + 30*time.Minute}); q != "old,low" {
		t.Fatalf("older than 9h30 = %s", q)
	}
	if tl := timelineOf(t, s, "urgent"); tl[1] != "sam: priority normal → urgent" {
		t.Fatalf("timeline = %q", tl)
	}
}

func TestSolvingAndClosingLeaveTheWorkingQueueWithTheirTimes(t *testing.T) {
	t.Parallel()
	s := ticketsSpec(t)
	s.Given(ticket.StreamID("t1"), openedBy("t1", "r1", ticket.CategoryOther, opened),
		ticket.StatusChanged{TicketID: "t1", From: ticket.StatusNew, To: ticket.StatusSolved, By: "sam", At: at(1)})
	v := agentView(t, s, "t1")
	if v.Status != ticket.StatusSolved || v.SolvedAt == nil || !v.SolvedAt.Equal(at(1)) || v.ClosedAt != nil {
		t.Fatalf("solved ticket = %+v", v)
	}
	if q := queue(t, s, readmodel.QueueFilter{}); q != "" {
		t.Fatalf("working queue = %s", q)
	}
	s.Given(ticket.StreamID("t1"), ticket.StatusChanged{TicketID: "t1", From: ticket.StatusSolved, To: ticket.StatusClosed, By: "system", At: at(2)})
	if v := agentView(t, s, "t1"); v.Status != ticket.StatusClosed || v.ClosedAt == nil || !v.SolvedAt.Equal(at(1)) {
		t.Fatalf("closed ticket = %+v", v)
	}
	if q := queue(t, s, readmodel.QueueFilter{Statuses: []ticket.Status{ticket.StatusClosed}}); q != "t1" {
		t.Fatalf("closed queue = %s", q)
	}
}

func TestAttachedDocumentsAreListedAndTheirViewsCounted(t *testing.T) {
	t.Parallel()
	s := ticketsSpec(t)
	expires := ledger.Date{Year: 2030, Month: time.January, Day: 31}
	s.Given(ticket.StreamID("t1"), openedBy("t1", "r1", ticket.CategoryTwoFactorReset, opened),
		ticket.DocumentAttached{TicketID: "t1", AttachmentID: "doc1", Kind: ticket.KindPassport, ContentType: "image/png", Size: 1234, ExpiresOn: &expires, UploadedBy: "r1", At: at(1)},
		ticket.DocumentViewed{TicketID: "t1", AttachmentID: "doc1", AgentID: "sam", At: at(2)},
		ticket.DocumentViewed{TicketID: "t1", AttachmentID: "doc1", AgentID: "kim", At: at(3)})
	v := agentView(t, s, "t1")
	if v.Documents != 1 || len(v.Attachments) != 1 || v.Attachments[0].Views != 2 || v.Attachments[0].ExpiresOn == nil ||
		*v.Attachments[0].ExpiresOn != "2030-01-31" || !v.Attachments[0].LastViewedAt.Equal(at(3)) || !v.UpdatedAt.Equal(at(3)) {
		t.Fatalf("agent view = %+v", v)
	}
	rv, err := readmodel.RequesterTicketView(s.Ctx, s.DB, "r1", "t1")
	s.Must(err)
	if len(rv.Documents) != 1 || rv.Documents[0].Kind != ticket.KindPassport || rv.Documents[0].Destroyed {
		t.Fatalf("requester view = %+v", rv)
	}
	tl, err := readmodel.Timeline(s.Ctx, s.DB, "t1")
	s.Must(err)
	if len(tl) != 4 || tl[1].Summary != "attached passport doc1 (image/png, 1234 bytes)" || !tl[2].Internal || tl[2].Summary != "viewed document doc1" {
		t.Fatalf("timeline = %+v", tl)
	}
}

func TestIdentityIsVerifiedAgainstAPortalAccountOrRejectedWithAReason(t *testing.T) {
	t.Parallel()
	s := ticketsSpec(t)
	s.Given(ticket.StreamID("yes"), openedBy("yes", "r1", ticket.CategoryTwoFactorReset, opened),
		ticket.IdentityVerified{TicketID: "yes", AgentID: "sam", AttachmentIDs: []string{"d1", "d2"}, PortalAccountID: "portal1", At: at(1)})
	s.Given(ticket.StreamID("no"), openedBy("no", "r1", ticket.CategoryTwoFactorReset, opened),
		ticket.IdentityRejected{TicketID: "no", RequesterAccountID: "r1", AgentID: "sam", Reason: "blurry photo", At: at(1)})
	if v := agentView(t, s, "yes"); v.Identity != ticket.DecisionVerified || v.PortalAccountID != "portal1" {
		t.Fatalf("verified = %+v", v)
	}
	if v := agentView(t, s, "no"); v.Identity != ticket.DecisionRejected || v.IdentityReason != "blurry photo" {
		t.Fatalf("rejected = %+v", v)
	}
	if tl := timelineOf(t, s, "yes"); tl[1] != "sam: identity verified against portal account portal1 using d1, d2" {
		t.Fatalf("timeline = %q", tl)
	}
}

func TestClosedTicketsWithIdentityDocumentsAreDueForDestructionUntilDestroyed(t *testing.T) {
	t.Parallel()
	s := ticketsSpec(t)
	closed := func(id string, kind ticket.DocumentKind) {
		s.Given(ticket.StreamID(id), openedBy(id, "r1", ticket.CategoryTwoFactorReset, opened),
			ticket.DocumentAttached{TicketID: id, AttachmentID: id + "-doc", Kind: kind, ContentType: "image/png", Size: 1, UploadedBy: "r1", At: at(1)},
			ticket.StatusChanged{TicketID: id, From: ticket.StatusNew, To: ticket.StatusClosed, By: "sam", At: at(2)})
	}
	closed("passport", ticket.KindPassport)
	closed("other", ticket.KindOther)
	s.Given(ticket.StreamID("open"), openedBy("open", "r1", ticket.CategoryTwoFactorReset, opened),
		ticket.DocumentAttached{TicketID: "open", AttachmentID: "open-doc", Kind: ticket.KindPassport, ContentType: "image/png", Size: 1, UploadedBy: "r1", At: at(1)})
	due, err := readmodel.DueForDestruction(s.Ctx, s.DB, at(3))
	s.Must(err)
	if strings.Join(due, ",") != "passport" {
		t.Fatalf("due = %v", due)
	}
	if due, _ := readmodel.DueForDestruction(s.Ctx, s.DB, at(1)); len(due) != 0 {
		t.Fatalf("due before they were closed = %v", due)
	}
	s.GivenBy("system:retention", ticket.StreamID("passport"), ticket.DocumentDestroyed{TicketID: "passport", AttachmentID: "passport-doc", At: at(4)})
	if due, _ := readmodel.DueForDestruction(s.Ctx, s.DB, at(5)); len(due) != 0 {
		t.Fatalf("due after destruction = %v", due)
	}
	rv, err := readmodel.RequesterTicketView(s.Ctx, s.DB, "r1", "passport")
	s.Must(err)
	if !rv.Documents[0].Destroyed {
		t.Fatalf("requester view = %+v", rv)
	}
	if tl := timelineOf(t, s, "passport"); !strings.HasPrefix(tl[len(tl)-1], "system:retention: destroyed document passport-doc") {
		t.Fatalf("timeline = %q", tl)
	}
}

func TestAnOlderEventDeliveredAgainDoesNotUndoALaterOne(t *testing.T) {
	t.Parallel()
	s := ticketsSpec(t)
	recs := s.Given(ticket.StreamID("t1"), openedBy("t1", "r1", ticket.CategoryOther, opened),
		ticket.Assigned{TicketID: "t1", AgentID: "sam", By: "sam", At: at(1)},
		ticket.Assigned{TicketID: "t1", AgentID: "kim", By: "sam", At: at(2)})
	s.Apply(recs[1])
	if v := agentView(t, s, "t1"); v.AssigneeID != "kim" || !v.UpdatedAt.Equal(at(2)) {
		t.Fatalf("ticket = %+v after the first assignment came again, want still kim's", v)
	}
	if tl := timelineOf(t, s, "t1"); len(tl) != 3 {
		t.Fatalf("timeline = %q, want each event once", tl)
	}
}

func TestAccountEventsDoneForATicketAreOnItsTimeline(t *testing.T) {
	t.Parallel()
	s := ticketsSpec(t)
	s.GivenBy("r1", ticket.StreamID("t1"), openedBy("t1", "r1", ticket.CategoryLoginTrouble, opened))
	s.GivenBy("sam", account.StreamID("portal1"),
		account.TwoFactorReset{AccountID: "portal1", TicketID: "t1", AgentID: "sam", At: at(1)},
		account.IPUnblocked{AccountID: "portal1", IP: "203.0.113.9", By: "sam", TicketID: "t1", At: at(2)},
		account.IPUnblocked{AccountID: "portal1", IP: "203.0.113.10", By: "sam", At: at(2)})
	s.GivenBy("portal1", account.StreamID("portal1"),
		account.SupportAccessGranted{AccountID: "portal1", GrantID: "g1", TicketID: "t1", Scopes: []account.Scope{account.ScopeLogInAs, account.ScopeChangePassword}, At: at(3), ExpiresAt: at(4)},
		account.SupportAccessGranted{AccountID: "portal1", GrantID: "g2", Scopes: []account.Scope{account.ScopeLogInAs}, At: at(3), ExpiresAt: at(4)})
	s.GivenBy("sam", account.StreamID("portal1"),
		account.SupportActionRecorded{AccountID: "portal1", GrantID: "g1", AgentID: "sam", Action: "cleared the cache", At: at(3)},
		account.SupportActionRecorded{AccountID: "portal1", GrantID: "g2", AgentID: "sam", Action: "not on any ticket", At: at(3)})
	s.GivenBy("portal1", account.StreamID("portal1"), account.SupportAccessRevoked{AccountID: "portal1", GrantID: "g1", By: "portal1", At: at(4)})
	want := []string{
		"r1: opened a login_trouble ticket: Subject of t1",
		"sam: two-factor reset on portal account portal1",
		"sam: unblocked an IP address on account portal1",
		"portal1: account portal1 allowed IT support to log_in_as and change_password until 2025-03-04 13:00 UTC (grant g1)",
		"sam: under grant g1: cleared the cache",
		"portal1: support access revoked (grant g1)",
	}
	if got := timelineOf(t, s, "t1"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("timeline:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestSomeoneElsesTicketIsNotFoundForARequester(t *testing.T) {
	t.Parallel()
	s := ticketsSpec(t)
	s.Given(ticket.StreamID("t1"), openedBy("t1", "r1", ticket.CategoryPayments, opened))
	s.Given(ticket.StreamID("t2"), openedBy("t2", "r1", ticket.CategoryOther, at(1)))
	if _, err := readmodel.RequesterTicketView(s.Ctx, s.DB, "r2", "t1"); !errors.Is(err, readmodel.ErrNotFound) || !errors.Is(err, ticket.ErrTicketNotFound) {
		t.Fatalf("another requester's view: %v", err)
	}
	mine, err := readmodel.RequesterTickets(s.Ctx, s.DB, "r1")
	s.Must(err)
	if len(mine) != 2 || mine[0].TicketID != "t2" || mine[1].TicketID != "t1" {
		t.Fatalf("r1's tickets = %+v, want newest first", mine)
	}
	if theirs, _ := readmodel.RequesterTickets(s.Ctx, s.DB, "r2"); len(theirs) != 0 {
		t.Fatalf("r2's tickets = %+v", theirs)
	}
}
