package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"ledgerdesk/domain/account"
)

const newPassword = "a brand new passphrase, longer"

func TestForgottenPasswordAnswersTheSameWhetherOrNotTheEmailHasAnAccount(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	res, body := get(t, c, e.srv.URL+"/sign-in")
	if res.StatusCode != 200 || !strings.Contains(body, `href="/password/forgot"`) || !strings.Contains(body, "remember your password") {
		t.Fatalf("the sign-in page has no way to the reset: %s", body)
	}
	if res, body = get(t, c, e.srv.URL+"/password/forgot"); res.StatusCode != 200 || !strings.Contains(body, `name="email"`) {
		t.Fatalf("the form: %d %s", res.StatusCode, body)
	}
	before := e.events()
	known, _ := post(t, c, e.srv.URL+"/password/forgot", url.Values{"email": {testEmail}})
	afterKnown := e.events()
	unknown, _ := post(t, c, e.srv.URL+"/password/forgot", url.Values{"email": {"nobody.here@example.co.uk"}})
	for name, r := range map[string]*http.Response{"registered": known, "unregistered": unknown} {
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/password/forgot/sent" {
			t.Errorf("%s email: %d to %q, want the same 303 to /password/forgot/sent", name, r.StatusCode, r.Header.Get("Location"))
		}
	}
	if afterKnown != before+1 || e.events() != afterKnown {
		t.Errorf("events: %d, %d, %d: want one reset requested for the registered email and nothing for the other", before, afterKnown, e.events())
	}
	res, body = get(t, c, e.srv.URL+"/password/forgot/sent")
	if res.StatusCode != 200 || !strings.Contains(body, "If the address you entered belongs to a support-site account") || strings.Contains(body, testEmail) {
		t.Fatalf("the answer: %d %s", res.StatusCode, body)
	}
	// One mail, to the registered address only.
	e.mailedLink(t, 1)
	var queued int
	if err := e.pool.QueryRow(t.Context(), `SELECT count(*) FROM mail_outbox`).Scan(&queued); err != nil || queued != 1 {
		t.Errorf("%d messages queued (%v), want the one to the registered address", queued, err)
	}
}

func TestAMalformedEmailIsRefusedBesideTheFieldAndWritesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	before := e.events()
	for in, want := range map[string]string{"": "Enter the email address", "jo bloggs@example": "Email address may contain only", strings.Repeat("a", 330) + "@example.org": "at most 320"} {
		res, body := post(t, c, e.srv.URL+"/password/forgot", url.Values{"email": {in}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="email-error"`) || !strings.Contains(body, want) {
			t.Errorf("%q: %d, want 422 with %q beside the field:\n%s", in, res.StatusCode, want, body)
		}
		if in != "" && len(in) < 100 && !strings.Contains(body, `value="`+in+`"`) {
			t.Errorf("%q: the input is not kept", in)
		}
	}
	if after := e.events(); after != before {
		t.Errorf("refused forms appended %d events", after-before)
	}
}

func TestTheMailedLinkSetsANewPasswordOnceAndSignInUsesIt(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	post(t, c, e.srv.URL+"/password/forgot", url.Values{"email": {testEmail}})
	link := e.mailedLink(t, 1)
	if !strings.HasPrefix(link, e.srv.URL+"/password/reset/") || strings.Contains(link, "jo.bloggs") || strings.Contains(link, "%40") {
		t.Fatalf("link %s: want the site's reset page, with no email in it", link)
	}
	res, body := get(t, c, link)
	parts := strings.Split(strings.TrimPrefix(link, e.srv.URL+"/password/reset/"), "/")
	if res.StatusCode != 200 || !strings.Contains(body, `name="token" value="`+parts[1]+`"`) || !strings.Contains(body, `autocomplete="new-password"`) {
		t.Fatalf("the reset page: %d %s", res.StatusCode, body)
	}
	if res.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Errorf("the page whose address holds the token sends referrers: %q", res.Header.Get("Referrer-Policy"))
	}
	// Opening it again (a mail scanner, a second click) uses nothing up.
	if res, _ := get(t, c, link); res.StatusCode != 200 {
		t.Fatalf("the link opened twice: %d", res.StatusCode)
	}
	form := func(pw, confirm string) url.Values {
		return url.Values{"account": {parts[0]}, "token": {parts[1]}, "password": {pw}, "confirm": {confirm}}
	}

	// Refusals keep the link's fields, say what is wrong beside the field, and write nothing.
	before := e.events()
	for _, tc := range []struct{ pw, confirm, field, want string }{
		{"", "", "password", "Enter a new password."},
		{newPassword, "something else entirely", "confirm", "not the same"},
		{"too short", "too short", "password", "must be at least 12 characters"},
	} {
		res, body := post(t, c, e.srv.URL+"/password/reset", form(tc.pw, tc.confirm))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="`+tc.field+`-error"`) || !strings.Contains(body, tc.want) ||
			!strings.Contains(body, `value="`+parts[1]+`"`) {
			t.Errorf("password %q/%q: %d, want %q beside %s:\n%s", tc.pw, tc.confirm, res.StatusCode, tc.want, tc.field, body)
		}
		if tc.pw != "" && strings.Contains(body, tc.pw) {
			t.Errorf("the page sends the password back")
		}
	}
	if after := e.events(); after != before {
		t.Fatalf("refused forms appended %d events", after-before)
	}

	res, _ = post(t, c, e.srv.URL+"/password/reset", form(newPassword, newPassword))
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/sign-in?reset=done" {
		t.Fatalf("setting the password: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if _, body := get(t, c, e.srv.URL+"/sign-in?reset=done"); !strings.Contains(body, "Your password has been changed") {
		t.Errorf("the sign-in page does not say so: %s", body)
	}
	if res, _ := post(t, c, e.srv.URL+"/sign-in", url.Values{"email": {testEmail}, "password": {testPassword}}); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("the old password still signs in: %d", res.StatusCode)
	}
	if res, _ := post(t, c, e.srv.URL+"/sign-in", url.Values{"email": {testEmail}, "password": {newPassword}, "next": {"/tickets"}}); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/tickets" {
		t.Fatalf("signing in with the new password: %d", res.StatusCode)
	}

	// The link a second time, and a made-up one: refused, saying which, on opening the
	// page and on sending the form.
	before = e.events()
	if res, body := get(t, c, link); res.StatusCode != http.StatusGone || !strings.Contains(body, "already been used") || strings.Contains(body, `name="password"`) {
		t.Errorf("opening the used link: %d %s", res.StatusCode, body)
	}
	if res, body := get(t, c, e.srv.URL+"/password/reset/"+parts[0]+"/made-up"); res.StatusCode != http.StatusGone || !strings.Contains(body, "not valid") {
		t.Errorf("opening a made-up link: %d %s", res.StatusCode, body)
	}
	res, body = post(t, c, e.srv.URL+"/password/reset", form("another new passphrase", "another new passphrase"))
	if res.StatusCode != http.StatusGone || !strings.Contains(body, "already been used") || !strings.Contains(body, `href="/password/forgot"`) {
		t.Errorf("the link used twice: %d %s", res.StatusCode, body)
	}
	res, body = post(t, c, e.srv.URL+"/password/reset", url.Values{"account": {parts[0]}, "token": {"made-up"}, "password": {newPassword + "!"}, "confirm": {newPassword + "!"}})
	if res.StatusCode != http.StatusGone || !strings.Contains(body, "not valid") {
		t.Errorf("a made-up token: %d %s", res.StatusCode, body)
	}
	if after := e.events(); after != before {
		t.Errorf("refused links appended %d events", after-before)
	}
	log := e.logs.String()
	for _, secret := range []string{testEmail, newPassword, parts[1]} {
		if strings.Contains(log, secret) {
			t.Errorf("the log holds %q", secret)
		}
	}
}

func TestEveryWayALinkFailsHasItsOwnWords(t *testing.T) {
	t.Parallel()
	for err, want := range map[error]string{
		account.ErrResetTokenUsed:     "already been used",
		account.ErrResetTokenReplaced: "newer password reset email",
		account.ErrResetTokenExpired:  "has expired: links work for one hour",
		account.ErrResetTokenInvalid:  "not valid",
		account.ErrAccountNotFound:    "not valid",
	} {
		msg, ok := linkRefusal(fmt.Errorf("wrapped: %w", err))
		if !ok || !strings.Contains(msg, want) {
			t.Errorf("%v: %q, %v; want %q", err, msg, ok, want)
		}
	}
	for _, err := range []error{nil, account.ErrWeakPassword, errors.New("the database is down")} {
		if msg, ok := linkRefusal(err); ok {
			t.Errorf("%v is taken for a bad link: %q", err, msg)
		}
	}
}
