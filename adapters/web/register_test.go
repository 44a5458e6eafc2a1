package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"ledgerdesk/commands"
	"ledgerdesk/commands/support"
	"ledgerdesk/domain/account"
)

const (
	newcomer   = "sam.newcomer@example.co.uk"
	newcomerPW = "a passphrase of my very own"
)

func registration(name, email, pw, confirm string) url.Values {
	return url.Values{"name": {name}, "email": {email}, "password": {pw}, "confirm": {confirm}}
}

func TestARefusedRegistrationSaysWhyBesideTheFieldKeepsTheInputAndWritesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	if res, body := get(t, c, e.srv.URL+"/register"); res.StatusCode != 200 || !strings.Contains(body, "not your patient portal account") {
		t.Fatalf("the form: %d %s", res.StatusCode, body)
	}
	before := e.events()
	for _, tc := range []struct {
		form         url.Values
		field, want  string
		status, kept int
	}{
		{registration("", newcomer, newcomerPW, newcomerPW), "name", "Enter your name.", 422, 0},
		{registration("Sam Newcomer", "", newcomerPW, newcomerPW), "email", "Enter your email address.", 422, 0},
		{registration("Sam Newcomer", "sam.example.co.uk", newcomerPW, newcomerPW), "email", "Email address must contain exactly one @", 422, 0},
		{registration("Sam Newcomer", newcomer, "too short", "too short"), "password", "must be at least 12 characters", 422, 0},
		{registration("Sam Newcomer", newcomer, newcomerPW, "different"), "confirm", "not the same", 422, 0},
		{registration("Jo Bloggs", testEmail, newcomerPW, newcomerPW), "email", "already has this email address", 409, 0},
	} {
		res, body := post(t, c, e.srv.URL+"/register", tc.form)
		if res.StatusCode != tc.status || !strings.Contains(body, `id="`+tc.field+`-error"`) || !strings.Contains(body, tc.want) {
			t.Errorf("%v: %d, want %d with %q beside %s:\n%s", tc.form, res.StatusCode, tc.status, tc.want, tc.field, body)
		}
		if name := tc.form.Get("name"); name != "" && !strings.Contains(body, `value="`+name+`"`) {
			t.Errorf("%v: the name is not kept", tc.form)
		}
		if pw := tc.form.Get("password"); strings.Contains(body, pw) {
			t.Errorf("%v: the page sends the password back", tc.form)
		}
		if res.Header.Get("Set-Cookie") != "" {
			t.Errorf("%v: a refused registration signed someone in", tc.form)
		}
	}
	if after := e.events(); after != before {
		t.Errorf("refused registrations appended %d events", after-before)
	}
}

func TestRegisteringASupportAccountWithThePortalsEmailSignsInToANewAccount(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	portal, err := e.svc.Register(ctx, support.Registration{Realm: account.RealmPortal, Role: account.RolePatient, Email: newcomer, Name: "Sam Newcomer", Password: newcomerPW},
		commands.Metadata{CommandID: commands.NewCommandID()})
	if err != nil {
		t.Fatal(err)
	}
	c := e.client()
	res, body := post(t, c, e.srv.URL+"/register", registration("Sam Newcomer", newcomer, newcomerPW, newcomerPW))
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/tickets?welcome=1" {
		t.Fatalf("registering: %d %s", res.StatusCode, body)
	}
	res, body = get(t, c, e.srv.URL+"/tickets?welcome=1")
	if res.StatusCode != 200 || !strings.Contains(body, "Your support-site account is ready") {
		t.Fatalf("signed in after registering: %d %s", res.StatusCode, body)
	}
	id, err := e.svc.Authenticate(ctx, support.Login{Realm: account.RealmSupport, Email: newcomer, Password: newcomerPW})
	if err != nil || id == portal {
		t.Fatalf("the support account %q (%v) is the portal account %q", id, err, portal)
	}
	// Signed out, a second registration with the same email is refused on the support site.
	if res, _ := post(t, e.client(), e.srv.URL+"/register", registration("Sam Newcomer", newcomer, newcomerPW, newcomerPW)); res.StatusCode != http.StatusConflict {
		t.Errorf("the same email twice: %d", res.StatusCode)
	}
	if log := e.logs.String(); strings.Contains(log, newcomer) || strings.Contains(log, newcomerPW) {
		t.Errorf("the log holds the email or the password")
	}
}
