package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"ledgerdesk/adapters/web/webtest"
)

// The browser tests drive Debian's chromium against the real site and API (env). Each
// page is checked with axe-core at both widths and photographed into
// webtest.ScreenshotDir().

func h1Is(text string) string {
	return fmt.Sprintf(`(document.querySelector('h1') || {}).textContent === %q`, text)
}

// look checks the page in the tab with axe-core and photographs it.
func look(t *testing.T, ctx context.Context, w webtest.Width, page string) {
	t.Helper()
	webtest.NoViolations(t, ctx, page+" at "+w.Name)
	webtest.Screenshot(t, ctx, page+"-"+w.Name)
}

func visit(t *testing.T, ctx context.Context, url, h1 string) {
	t.Helper()
	webtest.Do(t, ctx, "opening "+url, chromedp.Navigate(url))
	webtest.WaitFor(t, ctx, "the page "+h1, h1Is(h1))
}

// submit presses the form's button in main and waits for the next page's heading.
func submit(t *testing.T, ctx context.Context, h1 string) {
	t.Helper()
	webtest.Do(t, ctx, "submitting the form", chromedp.Click(chromedp.CSS("main button[type=submit]")))
	webtest.WaitFor(t, ctx, "the page "+h1+" after submitting", h1Is(h1))
}

func fill(t *testing.T, ctx context.Context, fields map[string]string) {
	t.Helper()
	webtest.Fill(t, ctx, fields)
}

func browserSignIn(t *testing.T, ctx context.Context, e *env) {
	t.Helper()
	visit(t, ctx, e.srv.URL+"/sign-in", "Sign in")
	fill(t, ctx, map[string]string{"email": testEmail, "password": testPassword})
	submit(t, ctx, "My tickets")
}

// crossSite serves a page on another site (localhost, where the support centre is on
// 127.0.0.1) that posts a ticket to the support centre as soon as it loads.
func crossSite(t *testing.T, target string) string {
	t.Helper()
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><title>Win a prize</title><form method="post" action="%s/tickets/new">
<input name="category" value="other"><input name="subject" value="Forged"><input name="body" value="Forged"></form>
<script>document.forms[0].submit()</script>`, target)
	}))
	t.Cleanup(evil.Close)
	return strings.Replace(evil.URL, "127.0.0.1", "localhost", 1)
}

func TestEveryPageHasNoAccessibilityViolationsAtBothWidths(t *testing.T) {
	b := webtest.Start(t)
	e := newEnv(t)
	for _, w := range webtest.Widths {
		ctx := b.Tab(t, w)
		visit(t, ctx, e.srv.URL+"/", "Support Centre")
		look(t, ctx, w, "home")
		visit(t, ctx, e.srv.URL+"/faq", "Frequently asked questions")
		look(t, ctx, w, "faq")
		visit(t, ctx, e.srv.URL+"/help", "Help articles")
		look(t, ctx, w, "help")
		fill(t, ctx, map[string]string{"q": "lost my phone"})
		submit(t, ctx, "Search results")
		webtest.WaitFor(t, ctx, "a marked result", `document.querySelector('.results mark')`)
		look(t, ctx, w, "help-search")
		visit(t, ctx, e.srv.URL+"/help/two-factor-authentication", "Setting up two-factor authentication")
		look(t, ctx, w, "help-article")
		visit(t, ctx, e.srv.URL+"/my-ip", "What is my IP address?")
		look(t, ctx, w, "my-ip")
		visit(t, ctx, e.srv.URL+"/api/v1/docs", "API reference ledgerdesk API 1.0.0")
		look(t, ctx, w, "api-reference")
		visit(t, ctx, e.srv.URL+"/no-such-page", "Page not found")
		look(t, ctx, w, "not-found")
		visit(t, ctx, e.srv.URL+"/sign-in", "Sign in")
		look(t, ctx, w, "sign-in")
		fill(t, ctx, map[string]string{"email": testEmail, "password": "not the password"})
		submit(t, ctx, "Sign in")
		webtest.WaitFor(t, ctx, "the sign-in error", `document.querySelector('#password-error')`)
		look(t, ctx, w, "sign-in-refused")

		fill(t, ctx, map[string]string{"email": testEmail, "password": testPassword})
		submit(t, ctx, "My tickets")
		look(t, ctx, w, "my-tickets")
		visit(t, ctx, e.srv.URL+"/tickets/new", "Open a ticket")
		look(t, ctx, w, "open-a-ticket")
		fill(t, ctx, map[string]string{"category": "other", "subject": "", "body": ""})
		submit(t, ctx, "Open a ticket")
		webtest.WaitFor(t, ctx, "the form's errors", `document.querySelector('#subject-error')`)
		look(t, ctx, w, "open-a-ticket-refused")
		fill(t, ctx, map[string]string{"category": "payments", "subject": "Payment for 5 February not received", "body": "My consultation on 5 February was completed and the form submitted, but nothing is pending yet."})
		submit(t, ctx, "My tickets")
		webtest.WaitFor(t, ctx, "the new ticket", `document.querySelector('.ticket')`)
		look(t, ctx, w, "my-tickets-one-open")

		webtest.Do(t, ctx, "following the cross-site page", chromedp.Navigate(crossSite(t, e.srv.URL)))
		webtest.WaitFor(t, ctx, "the 403 page", h1Is("This form was sent from another site"))
		look(t, ctx, w, "cross-site-refused")
	}
}

func TestJourneySignInOpenABlockedIPTicketItShowsInMyTickets(t *testing.T) {
	b := webtest.Start(t)
	e := newEnv(t)
	ctx := b.Tab(t, webtest.Mobile)
	visit(t, ctx, e.srv.URL+"/", "Support Centre")
	webtest.Do(t, ctx, "following the blocked-IP link", chromedp.Click(chromedp.CSS(`main a[href="/tickets/new?category=blocked_ip"]`)))
	// Not signed in: sign in first, and come back to the form.
	webtest.WaitFor(t, ctx, "the sign-in page", h1Is("Sign in"))
	fill(t, ctx, map[string]string{"email": testEmail, "password": testPassword})
	submit(t, ctx, "Open a ticket")
	// The category came through sign-in only as far as the fixed return list allows.
	visit(t, ctx, e.srv.URL+"/tickets/new?category=blocked_ip", "Open a ticket")
	if got := webtest.Get(t, ctx, "reading the category", chromedp.Value(chromedp.ID("category"))); got != "blocked_ip" {
		t.Errorf("category %q, want blocked_ip pre-selected", got)
	}
	if got := webtest.Get(t, ctx, "reading the IP", chromedp.Value(chromedp.ID("ip"))); got != "127.0.0.1" {
		t.Errorf("IP field %q, want the address the server sees, 127.0.0.1", got)
	}
	fill(t, ctx, map[string]string{"subject": "I cannot see the login screen", "body": "The portal does not load at all from home."})
	submit(t, ctx, "My tickets")
	webtest.WaitFor(t, ctx, "the ticket in My tickets", `document.querySelector('.ticket-subject')`)
	if got := webtest.Text(t, ctx, ".ticket-subject"); got != "I cannot see the login screen" {
		t.Errorf("My tickets shows %q", got)
	}
	if got := webtest.Text(t, ctx, ".ticket-facts"); !strings.Contains(got, "blocked IP address") || !strings.Contains(got, "New") || !strings.Contains(got, "No replies yet") {
		t.Errorf("ticket facts %q", got)
	}
	webtest.Screenshot(t, ctx, "blocked-ip-ticket-opened")
	webtest.Do(t, ctx, "signing out", chromedp.Click(chromedp.CSS(`header button[type=submit]`)))
	webtest.WaitFor(t, ctx, "the home page", h1Is("Support Centre"))
	visit(t, ctx, e.srv.URL+"/tickets", "Sign in")
}

func TestInTheBrowserARefusedFormKeepsTheInputBesideTheMessageAndWritesNothing(t *testing.T) {
	b := webtest.Start(t)
	e := newEnv(t)
	ctx := b.Tab(t, webtest.Desktop)
	browserSignIn(t, ctx, e)
	before := e.events()
	visit(t, ctx, e.srv.URL+"/tickets/new", "Open a ticket")
	fill(t, ctx, map[string]string{"category": "account_details", "subject": "Change my phone number", "body": "   "})
	submit(t, ctx, "Open a ticket")
	webtest.WaitFor(t, ctx, "the message beside the description", `document.querySelector('#body-error')`)
	if got := webtest.Text(t, ctx, "#body-error"); !strings.Contains(got, "Enter a description.") {
		t.Errorf("message %q", got)
	}
	if got := webtest.Get(t, ctx, "reading aria-describedby", chromedp.Evaluate[string](`document.getElementById('body').getAttribute('aria-describedby')`)); got != "body-hint body-error" {
		t.Errorf("aria-describedby %q", got)
	}
	if got := webtest.Get(t, ctx, "reading the subject", chromedp.Value(chromedp.ID("subject"))); got != "Change my phone number" {
		t.Errorf("subject %q, want the input kept", got)
	}
	if got := webtest.Get(t, ctx, "reading the category", chromedp.Value(chromedp.ID("category"))); got != "account_details" {
		t.Errorf("category %q, want the choice kept", got)
	}
	if got := webtest.Text(t, ctx, ".error-summary a"); !strings.Contains(got, "Enter a description.") {
		t.Errorf("error summary %q", got)
	}
	if after := e.events(); after != before {
		t.Errorf("a refused form appended %d events", after-before)
	}
}

func TestInTheBrowserASignedInCrossSitePostIsRefusedAndWritesNothing(t *testing.T) {
	b := webtest.Start(t)
	e := newEnv(t)
	ctx := b.Tab(t, webtest.Desktop)
	browserSignIn(t, ctx, e)
	before := e.events()
	webtest.Do(t, ctx, "visiting the other site", chromedp.Navigate(crossSite(t, e.srv.URL)))
	webtest.WaitFor(t, ctx, "the 403 page", h1Is("This form was sent from another site"))
	if after := e.events(); after != before {
		t.Errorf("a cross-site post appended %d events", after-before)
	}
	visit(t, ctx, e.srv.URL+"/tickets", "My tickets")
	if n := webtest.Get(t, ctx, "counting tickets", chromedp.Evaluate[int](`document.querySelectorAll('.ticket').length`)); n != 0 {
		t.Errorf("%d tickets after a refused cross-site post", n)
	}
}

func TestInTheBrowserMyTicketsWithoutASessionGoesToSignIn(t *testing.T) {
	b := webtest.Start(t)
	e := newEnv(t)
	ctx := b.Tab(t, webtest.Mobile)
	visit(t, ctx, e.srv.URL+"/tickets", "Sign in")
	if got := webtest.Location(t, ctx); got != e.srv.URL+"/sign-in?next=/tickets" {
		t.Errorf("at %s", got)
	}
}
