package web

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"ledgerdesk/adapters/web/webtest"
)

var ticketLinkPattern = regexp.MustCompile(`https?://[^/\s]+/tickets/([A-Za-z0-9-]+)`)

// The two-factor-reset journey, for real, at both widths: register, sign in, open a
// two-factor-reset ticket with a passport scan, see it in My tickets, an agent replies
// through the API, the reply's email reaches the SMTP server with a link, and the link
// opens the thread with the reply on it. Every page on the way is checked with axe-core
// and photographed.
func TestJourneyTwoFactorResetWithAPassportScanToTheAgentsMailedReply(t *testing.T) {
	b := webtest.Start(t)
	e := newEnv(t)
	_, agent := e.agentToken(t)
	scan := filepath.Join(t.TempDir(), "passport.png")
	if err := os.WriteFile(scan, passportScan(t), 0o600); err != nil {
		t.Fatal(err)
	}
	for i, w := range webtest.Widths {
		ctx := b.Tab(t, w)
		email := "alex." + w.Name + "@example.co.uk"
		password := "a passphrase for the " + w.Name + " journey"

		// Register; registering signs in, so sign out and sign in again as the help page says.
		visit(t, ctx, e.srv.URL+"/register", "Register for the Support Centre")
		fill(t, ctx, map[string]string{"name": "Alex Example", "email": email, "password": password, "confirm": password})
		submit(t, ctx, "My tickets")
		webtest.Do(t, ctx, "signing out", chromedp.Click(chromedp.CSS(`header button[type=submit]`)))
		webtest.WaitFor(t, ctx, "the home page", h1Is("Support Centre"))
		visit(t, ctx, e.srv.URL+"/sign-in", "Sign in")
		fill(t, ctx, map[string]string{"email": email, "password": password})
		submit(t, ctx, "My tickets")

		// The form, refused once for a missing document, then sent with the scan.
		visit(t, ctx, e.srv.URL+"/tickets/new?category=two_factor_reset", "Open a ticket")
		look(t, ctx, w, "open-a-two-factor-reset-ticket")
		fill(t, ctx, map[string]string{"subject": "Please reset my two-factor", "body": "My phone with the authenticator app was stolen.", "document_kind": "passport"})
		submit(t, ctx, "Open a ticket")
		webtest.WaitFor(t, ctx, "the message beside the file", `document.querySelector('#document-error')`)
		if got := webtest.Get(t, ctx, "reading the subject", chromedp.Value(chromedp.ID("subject"))); got != "Please reset my two-factor" {
			t.Errorf("subject %q, want the input kept", got)
		}
		look(t, ctx, w, "open-a-two-factor-reset-ticket-refused")
		webtest.Do(t, ctx, "choosing the passport scan", chromedp.SetUploadFiles(chromedp.CSS("#document"), []string{scan}))
		submit(t, ctx, "My tickets")
		webtest.WaitFor(t, ctx, "the ticket in My tickets", `document.querySelector('.ticket-subject a')`)
		if got := webtest.Text(t, ctx, ".ticket-subject"); got != "Please reset my two-factor" {
			t.Errorf("My tickets shows %q", got)
		}
		if got := webtest.Text(t, ctx, ".ticket-facts"); !strings.Contains(got, "Two-factor authentication reset") || !strings.Contains(got, "New") {
			t.Errorf("ticket facts %q", got)
		}
		look(t, ctx, w, "my-tickets-two-factor-reset")
		href := webtest.Get(t, ctx, "reading the ticket's link", chromedp.Evaluate[string](`document.querySelector('.ticket-subject a').getAttribute('href')`))
		id := strings.TrimPrefix(href, "/tickets/")

		// The agent replies through the API; the email arrives and links to the thread.
		e.api(t, agent, http.MethodPost, "/api/v1/tickets/"+id+"/notes", `{"body":"INTERNAL: passport photo page is legible"}`)
		e.api(t, agent, http.MethodPost, "/api/v1/tickets/"+id+"/replies", `{"body":"Thank you, we have your passport scan and are checking it against your portal account."}`)
		got := e.mail.WaitFor(t, i+1)
		m := got[i]
		if len(m.To) != 1 || m.To[0] != email {
			t.Fatalf("the email went to %v, want %s", m.To, email)
		}
		link := ticketLinkPattern.FindStringSubmatch(m.Text())
		if link == nil || link[1] != id {
			t.Fatalf("the email does not link to ticket %s:\n%s", id, m.Text())
		}
		if strings.Contains(m.Text(), "INTERNAL") || strings.Contains(m.Text(), "passport scan") {
			t.Errorf("the email carries the ticket's words:\n%s", m.Text())
		}
		// The mail may arrive before the thread's read model has the reply: open the link
		// again until it shows, as a person would reload.
		for tries := 0; ; tries++ {
			visit(t, ctx, link[0], "Please reset my two-factor")
			if webtest.Get(t, ctx, "looking for the agent's reply", chromedp.Evaluate[bool](`[...document.querySelectorAll('.message-support')].some(m => m.textContent.includes('we have your passport scan'))`)) {
				break
			}
			if tries == 100 {
				t.Fatal("the thread never showed the agent's reply")
			}
			time.Sleep(100 * time.Millisecond)
		}
		page := webtest.Text(t, ctx, "main")
		if strings.Contains(page, "INTERNAL") {
			t.Errorf("the thread shows an internal note: %s", page)
		}
		if !strings.Contains(page, "Passport, sent") {
			t.Errorf("the thread does not list the passport: %s", page)
		}
		look(t, ctx, w, "ticket-thread")

		// The requester answers on the thread.
		fill(t, ctx, map[string]string{"reply": fmt.Sprintf("Thank you (%s).", w.Name)})
		submit(t, ctx, "Please reset my two-factor")
		webtest.WaitFor(t, ctx, "the requester's reply", fmt.Sprintf(`document.querySelector('main').textContent.includes(%q)`, "Thank you ("+w.Name+")."))
		look(t, ctx, w, "ticket-thread-replied")
		webtest.Do(t, ctx, "signing out", chromedp.Click(chromedp.CSS(`header button[type=submit]`)))
		webtest.WaitFor(t, ctx, "the home page", h1Is("Support Centre"))
	}
}
