package httpapi

import (
	"context"
	"net/http"
	"strings"
	"time"

	"ledgerdesk/app/authz"
)

// WebSessions lends the API's sign-in sessions to the web pages (adapters/web), so that a
// person signed in on one is signed in on the other: the same cookie (name, flags,
// lifetime), the same sessions table, and the same per-account and per-address sign-in
// limits, shared with POST /api/v1/sessions rather than counted twice.
type WebSessions struct{ a *API }

// WebSessions is the API's session store for the web door.
func (a *API) WebSessions() WebSessions { return WebSessions{a: a} }

// CookieName is the session cookie's name.
func (s WebSessions) CookieName() string { return SessionCookie }

// Lookup resolves a session cookie's value to its actor; an unknown, expired or revoked
// session wraps authz.ErrUnauthenticated.
func (s WebSessions) Lookup(ctx context.Context, secret string) (authz.Actor, error) {
	return s.a.principals.bySession(ctx, secret)
}

// Start opens a session for actor, who has just signed in with their support account's
// password, and returns the cookie that carries it; like the API's password sessions, it
// ends when that password changes.
func (s WebSessions) Start(ctx context.Context, actor authz.Actor) (*http.Cookie, error) {
	if err := actor.Valid(); err != nil {
		return nil, err
	}
	secret, exp, err := s.a.principals.startSessionFromPassword(ctx, actor, actor.Subject, s.a.cfg.SessionTTL)
	if err != nil {
		return nil, err
	}
	c := s.a.cookie(secret, exp)
	return &c, nil
}

// End revokes the session and returns the cookie that clears it in the browser.
func (s WebSessions) End(ctx context.Context, secret string) (*http.Cookie, error) {
	if err := s.a.principals.endSession(ctx, secret); err != nil {
		return nil, err
	}
	c := s.a.cookie("", time.Unix(0, 0))
	c.MaxAge = -1
	return &c, nil
}

// AllowSignIn takes one sign-in attempt from the address's and the account's budgets (the
// API's own), or says how long to wait.
func (s WebSessions) AllowSignIn(ip, email string) (bool, time.Duration) {
	if ok, wait := s.a.limits.loginIP.allow("ip:" + ip); !ok {
		return false, wait
	}
	return s.a.limits.loginAccount.allow("account:" + strings.ToLower(email))
}

// AllowPasswordReset takes one reset request from the address's and the email's budgets,
// the ones POST /api/v1/password-resets spends, or says how long to wait.
func (s WebSessions) AllowPasswordReset(ip, email string) (bool, time.Duration) {
	return s.a.limits.reset.allow("ip:"+ip, "account:"+strings.ToLower(email))
}
