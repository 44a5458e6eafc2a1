package web

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"ledgerdesk/commands/support"
	"ledgerdesk/domain/account"
)

// refuse re-renders a form with a status and the messages beside its fields.
type refuse func(status int, errs fieldErrors)

// overSignInLimit spends one attempt from the address's and the account's budgets (the
// API's limiter, shared) and, when none is left, refuses the form saying how long to wait.
// Every form that checks a password or creates an account goes through it.
func (s *Site) overSignInLimit(w http.ResponseWriter, r *http.Request, email, attempts string, again refuse) bool {
	if s.cfg.SignInLimits == nil {
		return false
	}
	ok, wait := s.cfg.SignInLimits.AllowSignIn(requestOf(r.Context()).ip, email)
	if ok {
		return false
	}
	w.Header().Set("Retry-After", fmt.Sprint(int(wait.Seconds())+1))
	again(http.StatusTooManyRequests, fieldErrors{{"email", fmt.Sprintf("Too many %s. Please wait %s and try again.", attempts, wait.Round(time.Second)+time.Second)}})
	return true
}

// authenticate checks a support-site sign-in and returns the account, or refuses the form
// with the reason beside the field it is about (false: the response is written).
func (s *Site) authenticate(w http.ResponseWriter, r *http.Request, email, password, code string, again refuse) (account.State, bool) {
	ip := requestOf(r.Context()).ip
	id, err := s.cfg.Accounts.Authenticate(r.Context(), support.Login{Realm: account.RealmSupport, Email: email, Password: password, Code: code, IP: ip})
	if err != nil {
		switch {
		case errors.Is(err, support.ErrInvalidCredentials):
			again(http.StatusUnauthorized, fieldErrors{{"password", "The email address or password is not right."}})
		case errors.Is(err, support.ErrTwoFactorRequired):
			again(http.StatusUnauthorized, fieldErrors{{"code", "Two-factor is on for this account: enter the six-digit code from your authenticator app."}})
		case errors.Is(err, support.ErrWrongCode):
			again(http.StatusUnauthorized, fieldErrors{{"code", "The code from the authenticator app is not right. Codes change every 30 seconds: enter the one it shows now."}})
		case errors.Is(err, support.ErrIPBlocked):
			again(http.StatusForbidden, fieldErrors{{"email", fmt.Sprintf("Sign-ins to this account from your address (%s) are blocked. Contact the support team and give them this address.", ip)}})
		default:
			s.fail(w, r, err)
		}
		return account.State{}, false
	}
	a, err := s.cfg.Accounts.Account(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return account.State{}, false
	}
	return a, true
}
