package httpapi

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"ledgerdesk/app/authz"
	"ledgerdesk/commands"
	"ledgerdesk/commands/support"
	"ledgerdesk/domain/account"
)

// signIn turns a bearer token into a session and returns the cookie value.
func (e *env) signIn(t *testing.T, token string) string {
	t.Helper()
	res, b := e.do("", "POST", "/api/v1/sessions", nil, "Authorization", "Bearer "+token)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("session from token: %d %s", res.StatusCode, b)
	}
	return sessionCookieOf(t, res)
}

func sessionCookieOf(t *testing.T, res *http.Response) string {
	t.Helper()
	for _, c := range res.Cookies() {
		if c.Name == SessionCookie && c.Value != "" {
			return c.Value
		}
	}
	t.Fatalf("no session cookie in %q", res.Header.Values("Set-Cookie"))
	return ""
}

// asSession sends a request with the session cookie and no Authorization.
func (e *env) asSession(cookie, method, path string, body any, headers ...string) (*http.Response, []byte) {
	return e.do("", method, path, body, append([]string{"Cookie", SessionCookie + "=" + cookie}, headers...)...)
}

func TestRevokingATokenEndsTheSessionsMadeFromIt(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	ctx := context.Background()
	tok, err := CreateToken(ctx, e.pool, e.svc, authz.Actor{Role: authz.Clinician, Subject: "c1"}, "revoke me", 0)
	if err != nil {
		t.Fatal(err)
	}
	cookie := e.signIn(t, tok.Secret)
	if res, b := e.asSession(cookie, "GET", "/api/v1/me", nil); res.StatusCode != 200 {
		t.Fatalf("me with the fresh session: %d %s", res.StatusCode, b)
	}
	if err := RevokeToken(ctx, e.pool, tok.ID); err != nil {
		t.Fatal(err)
	}
	if res, b := e.asSession(cookie, "GET", "/api/v1/me", nil); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("me after the token was revoked: %d %s, want 401", res.StatusCode, b)
	}
}

func TestASessionEndsNoLaterThanItsToken(t *testing.T) {
	t.Parallel()
	var now atomic.Pointer[time.Time]
	t0 := time.Now()
	now.Store(&t0)
	e := newEnv(t, func(c *Config) { c.Now = func() time.Time { return *now.Load() } })
	tok, err := CreateToken(context.Background(), e.pool, e.svc, authz.Actor{Role: authz.Clinician, Subject: "c1"}, "short", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	res, b := e.do("", "POST", "/api/v1/sessions", nil, "Authorization", "Bearer "+tok.Secret)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("session: %d %s", res.StatusCode, b)
	}
	cookie := sessionCookieOf(t, res)
	for _, c := range res.Cookies() {
		if c.Name == SessionCookie && c.Expires.After(tok.Expires.Add(time.Second)) {
			t.Errorf("cookie expires %v, after its token (%v)", c.Expires, *tok.Expires)
		}
	}
	later := t0.Add(2 * time.Hour) // past the token, well within the 12-hour session
	now.Store(&later)
	if res, b := e.asSession(cookie, "GET", "/api/v1/me", nil); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("me after the token expired: %d %s, want 401", res.StatusCode, b)
	}
}

func TestChangingThePasswordEndsPasswordSessions(t *testing.T) {
	t.Parallel()
	var svc atomic.Pointer[support.Service]
	e := newEnv(t, func(c *Config) {
		c.Login = func(ctx context.Context, email, password, code, ip string) (string, string, error) {
			id, err := svc.Load().Authenticate(ctx, support.Login{Realm: account.RealmSupport, Email: email, Password: password, Code: code})
			return id, string(authz.Patient), err
		}
	})
	svc.Store(e.svc)
	ctx := context.Background()
	const first, second = "a long first pass phrase 1", "another long pass phrase 2"
	id, err := e.svc.Register(ctx, support.Registration{AccountID: "pw-holder", Realm: account.RealmSupport, Role: account.RoleRequester,
		Email: "holder@support.example", Name: "Pat Holder", Password: first}, commands.Metadata{CommandID: commands.NewCommandID()})
	if err != nil {
		t.Fatal(err)
	}
	login := func(pw string) string {
		res, b := e.do("", "POST", "/api/v1/sessions", map[string]any{"email": "holder@support.example", "password": pw})
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("sign-in: %d %s", res.StatusCode, b)
		}
		return sessionCookieOf(t, res)
	}
	cookie := login(first)
	if res, b := e.asSession(cookie, "GET", "/api/v1/me", nil); res.StatusCode != 200 {
		t.Fatalf("me: %d %s", res.StatusCode, b)
	}
	if err := e.svc.ChangePassword(ctx, id, first, second, commands.Metadata{CommandID: commands.NewCommandID(), Actor: id}); err != nil {
		t.Fatal(err)
	}
	if res, b := e.asSession(cookie, "GET", "/api/v1/me", nil); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("me after the password changed: %d %s, want 401", res.StatusCode, b)
	}
	cookie = login(second)
	if res, b := e.asSession(cookie, "GET", "/api/v1/me", nil); res.StatusCode != 200 {
		t.Fatalf("me with the new password's session: %d %s", res.StatusCode, b)
	}
	// A reset through the emailed link ends sessions the same way.
	link, found, err := e.svc.RequestPasswordReset(ctx, account.RealmSupport, "holder@support.example", commands.Metadata{CommandID: commands.NewCommandID()})
	if err != nil || !found {
		t.Fatalf("reset link: %v %v", found, err)
	}
	if err := e.svc.CompletePasswordReset(ctx, id, link.Token, "a third long pass phrase 3", commands.Metadata{CommandID: commands.NewCommandID()}); err != nil {
		t.Fatal(err)
	}
	if res, b := e.asSession(cookie, "GET", "/api/v1/me", nil); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("me after a password reset: %d %s, want 401", res.StatusCode, b)
	}
}
