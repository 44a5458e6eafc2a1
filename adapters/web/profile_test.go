package web

import (
	"bytes"
	"encoding/base64"
	"html"
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"ledgerdesk/commands/support"
)

func TestMyProfileChangesTheAccountDetailsAndARefusalKeepsTheInputAndWritesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	e.signIn(t, c)
	res, body := get(t, c, e.srv.URL+"/profile")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `value="Jo Bloggs"`) || !strings.Contains(body, `value="`+testEmail+`"`) {
		t.Fatalf("my profile: %d %s", res.StatusCode, body)
	}
	before := e.events()
	res, body = post(t, c, e.srv.URL+"/profile/details", url.Values{"name": {"Jo Bloggs"}, "email": {"not an address"}, "phone": {"07700 900123"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="email-error"`) || !strings.Contains(body, `value="not an address"`) || !strings.Contains(body, `value="07700 900123"`) {
		t.Fatalf("a bad email: %d %s", res.StatusCode, body)
	}
	if after := e.events(); after != before {
		t.Errorf("a refused form appended %d events", after-before)
	}
	res, body = post(t, c, e.srv.URL+"/profile/details", url.Values{"name": {"Jo Smith"}, "email": {"jo.smith@example.co.uk"}, "phone": {"07700 900123"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/profile?saved=details" {
		t.Fatalf("saving: %d %s", res.StatusCode, body)
	}
	if _, body = get(t, c, e.srv.URL+"/profile?saved=details"); !strings.Contains(body, `value="Jo Smith"`) || !strings.Contains(body, "jo.smith@example.co.uk") || !strings.Contains(body, "have been saved") {
		t.Errorf("after saving: %s", body)
	}
	// The new email is the one to sign in with.
	fresh := e.client()
	if res, body := post(t, fresh, e.srv.URL+"/sign-in", url.Values{"email": {"jo.smith@example.co.uk"}, "password": {testPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("signing in with the new email: %d %s", res.StatusCode, body)
	}
}

func TestMyProfileChangesThePasswordOnlyWithTheCurrentOne(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	e.signIn(t, c)
	const next = "a brand new passphrase for jo"
	before := e.events()
	for _, tc := range []struct {
		form  url.Values
		field string
	}{
		{url.Values{"current_password": {"wrong one"}, "new_password": {next}, "confirm_password": {next}}, "current_password"},
		{url.Values{"current_password": {testPassword}, "new_password": {next}, "confirm_password": {"something else"}}, "confirm_password"},
		{url.Values{"current_password": {testPassword}, "new_password": {"short"}, "confirm_password": {"short"}}, "new_password"},
	} {
		res, body := post(t, c, e.srv.URL+"/profile/password", tc.form)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="`+tc.field+`-error"`) {
			t.Errorf("%v: %d, want the message beside %s: %s", tc.form, res.StatusCode, tc.field, body)
		}
		if strings.Contains(body, next) || strings.Contains(body, testPassword) {
			t.Errorf("a password was sent back")
		}
	}
	if after := e.events(); after != before {
		t.Errorf("refused password changes appended %d events", after-before)
	}
	if res, body := post(t, c, e.srv.URL+"/profile/password", url.Values{"current_password": {testPassword}, "new_password": {next}, "confirm_password": {next}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("changing the password: %d %s", res.StatusCode, body)
	}
	fresh := e.client()
	if res, _ := post(t, fresh, e.srv.URL+"/sign-in", url.Values{"email": {testEmail}, "password": {testPassword}}); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("the old password still signs in: %d", res.StatusCode)
	}
	if res, _ := post(t, fresh, e.srv.URL+"/sign-in", url.Values{"email": {testEmail}, "password": {next}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the new password does not sign in: %d", res.StatusCode)
	}
}

var (
	qrPattern       = regexp.MustCompile(`<img class="qr" src="data:image/png;base64,([^"]+)"`)
	secretPattern   = regexp.MustCompile(`<code class="secret">([A-Z2-7 ]+)</code>`)
	refPattern      = regexp.MustCompile(`name="ref" value="([^"]+)"`)
	uriPattern      = regexp.MustCompile(`name="uri" value="([^"]+)"`)
	recoveryPattern = regexp.MustCompile(`<li><code>([0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4})</code></li>`)
)

// Two-factor set-up on My profile: a QR code drawn by the site itself, a wrong code
// refused beside the field, then ten recovery codes shown once, each signing in once.
func TestTwoFactorSetUpShowsAQRCodeThenRecoveryCodesThatEachSignInOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	e.signIn(t, c)
	res, body := post(t, c, e.srv.URL+"/profile/two-factor", nil)
	qr, secret, ref := qrPattern.FindStringSubmatch(body), secretPattern.FindStringSubmatch(body), refPattern.FindStringSubmatch(body)
	if res.StatusCode != http.StatusOK || qr == nil || secret == nil || ref == nil {
		t.Fatalf("set-up page: %d %s", res.StatusCode, body)
	}
	raw, err := base64.StdEncoding.DecodeString(html.UnescapeString(qr[1]))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil || img.Bounds().Dx() != qrPixels {
		t.Fatalf("the QR code is not a %d-pixel PNG: %v", qrPixels, err)
	}
	key := strings.ReplaceAll(secret[1], " ", "")
	uri := uriPattern.FindStringSubmatch(body)
	if uri == nil {
		t.Fatalf("no otpauth URI on the set-up page")
	}
	form := url.Values{"ref": {html.UnescapeString(ref[1])}, "uri": {html.UnescapeString(uri[1])}, "code": {"000000"}}
	before := e.events()
	res, body = post(t, c, e.srv.URL+"/profile/two-factor/confirm", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="code-error"`) || qrPattern.FindString(body) == "" {
		t.Fatalf("a wrong code: %d %s", res.StatusCode, body)
	}
	if after := e.events(); after != before {
		t.Errorf("a wrong code appended %d events", after-before)
	}
	code, err := totp.GenerateCode(key, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	form.Set("code", code)
	res, body = post(t, c, e.srv.URL+"/profile/two-factor/confirm", form)
	codes := recoveryPattern.FindAllStringSubmatch(body, -1)
	if res.StatusCode != http.StatusOK || len(codes) != 10 || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("confirming: %d, %d recovery codes, Cache-Control %q: %s", res.StatusCode, len(codes), res.Header.Get("Cache-Control"), body)
	}
	_, body = get(t, c, e.srv.URL+"/profile")
	if !strings.Contains(body, "Two-factor authentication is on") || !strings.Contains(body, "10 unused recovery codes") {
		t.Errorf("my profile after set-up: %s", body)
	}
	for _, cd := range codes {
		if strings.Contains(body, cd[1]) {
			t.Errorf("a recovery code is shown again on My profile")
		}
	}

	signIn := func(code string) int {
		res, _ := post(t, e.client(), e.srv.URL+"/sign-in", url.Values{"email": {testEmail}, "password": {testPassword}, "code": {code}})
		return res.StatusCode
	}
	if got := signIn(""); got != http.StatusUnauthorized {
		t.Errorf("signing in without a code: %d", got)
	}
	if got := signIn(codes[0][1]); got != http.StatusSeeOther {
		t.Errorf("signing in with a recovery code: %d", got)
	}
	if got := signIn(codes[0][1]); got != http.StatusUnauthorized {
		t.Errorf("the same recovery code a second time: %d", got)
	}
	e.clock.Advance(time.Minute)
	next, _ := totp.GenerateCode(key, e.clock.Now())
	if got := signIn(next); got != http.StatusSeeOther {
		t.Errorf("signing in with the app's code: %d", got)
	}
}

func TestOnlyAnOTPAuthURIWithABase32SecretIsDrawnAgain(t *testing.T) {
	for _, tc := range []struct {
		uri string
		ok  bool
	}{
		{"otpauth://totp/Support:jo%40example.co.uk?secret=DSQB46DZQHYJWYGYKUL64WU3QABBWL27&issuer=Support", true},
		{"https://evil.example/?secret=DSQB46DZQHYJWYGYKUL64WU3QABBWL27", false},
		{"otpauth://hotp/x?secret=DSQB46DZQHYJWYGYKUL64WU3QABBWL27", false},
		{"otpauth://totp/x?secret=not-base32!", false},
		{"otpauth://totp/x?secret=DSQB46DZQHYJWYGYKUL64WU3QABBWL27&pad=" + strings.Repeat("a", 700), false},
		{"", false},
	} {
		if _, ok := otpauthSecret(tc.uri); ok != tc.ok {
			t.Errorf("%.60q: accepted %v, want %v", tc.uri, ok, tc.ok)
		}
	}
}

func FuzzOTPAuthSecret(f *testing.F) {
	f.Add("otpauth://totp/Support:jo?secret=DSQB46DZQHYJWYGYKUL64WU3QABBWL27&issuer=Support")
	f.Add("otpauth://totp/%zz")
	f.Fuzz(func(t *testing.T, uri string) {
		secret, ok := otpauthSecret(uri)
		if !ok {
			return
		}
		if !totpSecretPattern.MatchString(secret) || len(uri) > maxOTPAuthURI {
			t.Fatalf("%q accepted with secret %q", uri, secret)
		}
		if _, err := twoFactorPage(support.Enrolment{Secret: secret, URL: uri}); err != nil {
			t.Fatalf("an accepted URI could not be drawn: %v", err)
		}
	})
}
