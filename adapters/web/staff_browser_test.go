package web

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"ledgerdesk/adapters/web/webtest"
	"ledgerdesk/commands"
	"ledgerdesk/commands/support"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/ticket"
)

func click(t *testing.T, ctx context.Context, css string) {
	t.Helper()
	webtest.Do(t, ctx, "clicking "+css, chromedp.Click(chromedp.CSS(css)))
}

// TestStaffJourneySignInQueueTicketAssignNoteReplyStatus is an agent's working day in a
// real Chromium: staff sign-in with the authenticator's code, the queue (which picks up a
// new ticket by itself), the ticket, assign to me, an internal note, a public reply from
// a canned answer, a status change; every staff page checked by axe-core at both widths.
func TestStaffJourneySignInQueueTicketAssignNoteReplyStatus(t *testing.T) {
	b := webtest.Start(t)
	e := newEnvWith(t, nil, func(c *Config) { c.StaffRefresh = time.Second })
	a := e.staffAgent(t, "Sam Agent", "sam@practice.example", true)
	e.staffAgent(t, "Bea Other", "bea@practice.example", true)
	tid := e.requesterTicket(t, "Payment for 5 February not received")
	ctx := b.Tab(t, webtest.Desktop)
	w := webtest.Desktop

	visit(t, ctx, e.srv.URL+"/staff/queue", "Staff sign-in")
	look(t, ctx, w, "staff-sign-in")
	fill(t, ctx, map[string]string{"email": a.email, "password": staffPassword})
	submit(t, ctx, "Staff sign-in")
	webtest.WaitFor(t, ctx, "the missing code's message", `document.querySelector('#code-error')`)
	look(t, ctx, w, "staff-sign-in-refused")
	fill(t, ctx, map[string]string{"email": a.email, "password": staffPassword, "code": a.code(t)})
	submit(t, ctx, "Ticket queue")
	look(t, ctx, w, "staff-queue")

	// A ticket opened now shows up without a reload (htmx polls the table).
	id, _, _ := e.svc.LookupEmail(context.Background(), account.RealmSupport, testEmail)
	fresh, err := e.svc.OpenTicket(context.Background(), support.NewTicket{Category: ticket.CategoryLoginTrouble, Subject: "Blank screen after logging in", Body: "Only white."},
		commands.Metadata{CommandID: commands.NewCommandID(), Actor: id})
	if err != nil {
		t.Fatal(err)
	}
	webtest.Get(t, ctx, "marking the page", chromedp.Evaluate[bool](`window.notReloaded = true`))
	webtest.WaitFor(t, ctx, "the new ticket in the queue", fmt.Sprintf(`document.querySelector('[data-ticket=%q]')`, fresh))
	if !webtest.Get(t, ctx, "checking the page was not reloaded", chromedp.Evaluate[bool](`window.notReloaded === true`)) {
		t.Error("the queue reloaded the page to show the new ticket")
	}

	// Assign the new one to a colleague from the queue itself; the refresh waits while the
	// menu is open.
	click(t, ctx, fmt.Sprintf(`[data-ticket=%q] details summary`, fresh))
	webtest.Get(t, ctx, "choosing Bea", chromedp.Evaluate[bool](fmt.Sprintf(`(() => { const s = document.querySelector('[data-ticket=%q] select'); s.value = [...s.options].find(o => o.text === 'Bea Other').value; return true })()`, fresh)))
	click(t, ctx, fmt.Sprintf(`[data-ticket=%q] .assign-form button`, fresh))
	webtest.WaitFor(t, ctx, "Bea's assignment", fmt.Sprintf(`(document.querySelector('[data-ticket=%q] .assignee') || {textContent: ''}).textContent.trim() === 'Bea Other'`, fresh))

	click(t, ctx, fmt.Sprintf(`a[href="/staff/tickets/%s"]`, tid))
	webtest.WaitFor(t, ctx, "the workspace", h1Is("Payment for 5 February not received"))
	look(t, ctx, w, "staff-ticket")

	click(t, ctx, "#assign-to-me")
	webtest.WaitFor(t, ctx, "the assignment", `document.querySelector('#fact-assignee').textContent.trim() === 'You'`)

	fill(t, ctx, map[string]string{"note-body": "Check the February bank file before replying."})
	click(t, ctx, `form[action$="/note"] button[type=submit]`)
	webtest.WaitFor(t, ctx, "the internal note", `[...document.querySelectorAll('.message.internal')].some(m => m.textContent.includes('February bank file') && m.textContent.includes('Internal note — not visible to the requester'))`)

	// A refused reply keeps the page and says why beside the field.
	fill(t, ctx, map[string]string{"reply-body": "  "})
	click(t, ctx, `form[action$="/reply"] button[type=submit]`)
	webtest.WaitFor(t, ctx, "the reply's error", `document.querySelector('#reply-body-error')`)
	look(t, ctx, w, "staff-ticket-refused")

	fill(t, ctx, map[string]string{"canned": "getting-paid"})
	click(t, ctx, `form.canned button[type=submit]`)
	webtest.WaitFor(t, ctx, "the canned answer in the reply box", `document.querySelector('#reply-body').value.includes('post-consultation form')`)
	click(t, ctx, `form[action$="/reply"] button[type=submit]`)
	webtest.WaitFor(t, ctx, "the public reply", `[...document.querySelectorAll('.message.public')].some(m => m.textContent.includes('post-consultation form') && m.textContent.includes('Public reply — sent to the requester'))`)

	// Only the domain's transitions are offered: from new, never back to new or to closed.
	opts := webtest.Get(t, ctx, "reading the status choices", chromedp.Evaluate[[]string](`[...document.querySelectorAll('#status option')].map(o => o.value)`))
	if strings.Join(opts, ",") != "open,pending,on_hold,solved" {
		t.Errorf("status choices %v, want the transitions from new", opts)
	}
	fill(t, ctx, map[string]string{"status": "pending"})
	click(t, ctx, `form[action$="/status"] button[type=submit]`)
	webtest.WaitFor(t, ctx, "the status change", `document.querySelector('#fact-status').textContent.includes('Pending')`)
	webtest.WaitFor(t, ctx, "the timeline", `document.querySelectorAll('.timeline-list li').length >= 5`)
	look(t, ctx, w, "staff-ticket-worked")

	// The requester's own page shows the reply and not the note.
	rctx := b.Tab(t, webtest.Mobile)
	webtest.Do(t, rctx, "signing out the agent", chromedp.Navigate(e.srv.URL+"/"))
	click(t, rctx, `form[action="/sign-out"] button`)
	// The page before sign-out was the home page too: wait for the signed-out one, or the
	// next navigation cuts the sign-out's own short (ERR_ABORTED).
	webtest.WaitFor(t, rctx, "the signed-out home page", h1Is("Support Centre")+` && !document.querySelector('form[action="/sign-out"]')`)
	browserSignIn(t, rctx, e)
	if body := webtest.Text(t, rctx, "main"); strings.Contains(body, "February bank file") {
		t.Errorf("the requester's page shows the internal note: %s", body)
	}

	// Every staff page at mobile width too, signed in again (the browser shares cookies).
	m := webtest.Mobile
	visit(t, rctx, e.srv.URL+"/staff/sign-in", "Staff sign-in")
	look(t, rctx, m, "staff-sign-in")
	fill(t, rctx, map[string]string{"email": a.email, "password": staffPassword})
	submit(t, rctx, "Staff sign-in")
	webtest.WaitFor(t, rctx, "the missing code's message", `document.querySelector('#code-error')`)
	look(t, rctx, m, "staff-sign-in-refused")
	fill(t, rctx, map[string]string{"email": a.email, "password": staffPassword, "code": a.code(t)})
	submit(t, rctx, "Ticket queue")
	look(t, rctx, m, "staff-queue")
	visit(t, rctx, e.srv.URL+"/staff/tickets/"+tid, "Payment for 5 February not received")
	look(t, rctx, m, "staff-ticket-worked")
	fill(t, rctx, map[string]string{"note-body": ""})
	click(t, rctx, `form[action$="/note"] button[type=submit]`)
	webtest.WaitFor(t, rctx, "the note's error", `document.querySelector('#note-body-error')`)
	look(t, rctx, m, "staff-ticket-refused")
}
