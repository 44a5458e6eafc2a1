package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"ledgerdesk/adapters/web/webtest"
	"ledgerdesk/commands"
	"ledgerdesk/commands/support"
	"ledgerdesk/domain/account"
)

// My profile in Chromium at both widths: the details with a refusal beside a field, the
// two-factor set-up with its QR code (an image the site drew), a wrong code, the recovery
// codes, and My profile with two-factor on; and a solved ticket's thread offering to
// reopen. Each page is checked with axe-core and photographed.
func TestInTheBrowserMyProfileAndTwoFactorSetUpHaveNoAccessibilityViolations(t *testing.T) {
	b := webtest.Start(t)
	e := newEnv(t)
	_, agent := e.agentToken(t)
	for _, w := range webtest.Widths {
		ctx := b.Tab(t, w)
		email := "pat." + w.Name + "@example.co.uk"
		if _, err := e.svc.Register(context.Background(), support.Registration{Realm: account.RealmSupport, Role: account.RoleRequester,
			Email: email, Name: "Pat Example", Password: testPassword}, commands.Metadata{CommandID: commands.NewCommandID()}); err != nil {
			t.Fatal(err)
		}
		visit(t, ctx, e.srv.URL+"/sign-in", "Sign in")
		fill(t, ctx, map[string]string{"email": email, "password": testPassword})
		submit(t, ctx, "My tickets")
		webtest.Do(t, ctx, "following My profile", chromedp.Click(chromedp.CSS(`header a[href="/profile"]`)))
		webtest.WaitFor(t, ctx, "My profile", h1Is("My profile"))
		look(t, ctx, w, "my-profile")
		fill(t, ctx, map[string]string{"phone": "not a phone"})
		webtest.Do(t, ctx, "saving the details", chromedp.Click(chromedp.CSS(`form[action="/profile/details"] button`)))
		webtest.WaitFor(t, ctx, "the message beside the phone", `document.querySelector('#phone-error')`)
		look(t, ctx, w, "my-profile-refused")

		webtest.Do(t, ctx, "starting two-factor set-up", chromedp.Click(chromedp.CSS(`form[action="/profile/two-factor"] button`)))
		webtest.WaitFor(t, ctx, "the set-up page", h1Is("Set up two-factor authentication"))
		if ok := webtest.Get(t, ctx, "checking the QR image loaded", chromedp.Evaluate[bool](`(() => { const i = document.querySelector('img.qr'); return i.complete && i.naturalWidth === 240 && i.src.startsWith('data:image/png'); })()`)); !ok {
			t.Errorf("the QR code did not render as a 240-pixel PNG")
		}
		look(t, ctx, w, "two-factor-set-up")
		secret := strings.ReplaceAll(webtest.Text(t, ctx, "code.secret"), " ", "")
		fill(t, ctx, map[string]string{"code": "000000"})
		submit(t, ctx, "Set up two-factor authentication")
		webtest.WaitFor(t, ctx, "the message beside the code", `document.querySelector('#code-error')`)
		look(t, ctx, w, "two-factor-set-up-refused")
		code, err := totp.GenerateCode(secret, e.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		fill(t, ctx, map[string]string{"code": code})
		submit(t, ctx, "Two-factor authentication is on")
		if n := webtest.Get(t, ctx, "counting recovery codes", chromedp.Evaluate[int](`document.querySelectorAll('.recovery-codes code').length`)); n != 10 {
			t.Errorf("%d recovery codes shown, want 10", n)
		}
		look(t, ctx, w, "recovery-codes")
		visit(t, ctx, e.srv.URL+"/profile", "My profile")
		look(t, ctx, w, "my-profile-two-factor-on")

		// A solved ticket's thread, offering to reopen.
		visit(t, ctx, e.srv.URL+"/tickets/new", "Open a ticket")
		fill(t, ctx, map[string]string{"category": "other", "subject": "A question about letters", "body": "Can I have a letter for my employer?"})
		submit(t, ctx, "My tickets")
		webtest.WaitFor(t, ctx, "the ticket in My tickets", `document.querySelector('.ticket-subject a')`)
		href := webtest.Get(t, ctx, "reading the ticket's link", chromedp.Evaluate[string](`document.querySelector('.ticket-subject a').getAttribute('href')`))
		e.api(t, agent, http.MethodPost, "/api/v1/tickets/"+strings.TrimPrefix(href, "/tickets/")+"/status", `{"status":"solved"}`)
		for tries := 0; ; tries++ {
			visit(t, ctx, e.srv.URL+href, "A question about letters")
			if webtest.Text(t, ctx, ".status") == "Solved" {
				break
			}
			if tries == 100 {
				t.Fatal("the thread never showed the ticket solved")
			}
		}
		if got := webtest.Text(t, ctx, "main button[type=submit]"); got != "Reopen ticket and send reply" {
			t.Errorf("the solved ticket's button says %q", got)
		}
		look(t, ctx, w, "ticket-thread-solved")
		webtest.Do(t, ctx, "signing out", chromedp.Click(chromedp.CSS(`header button[type=submit]`)))
		webtest.WaitFor(t, ctx, "the home page", h1Is("Support Centre"))
	}
}
