package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"ledgerdesk/app"
	"ledgerdesk/app/authz"
	"ledgerdesk/domain/account"
)

// ResetLimiter takes one password-reset request from the address's and the email's
// budgets (the API's limiter, shared, so the web is no way around it).
type ResetLimiter interface {
	AllowPasswordReset(ip, email string) (ok bool, wait time.Duration)
}

// visitor is the call of a visitor who has not signed in: the reset journey is theirs.
func (s *Site) visitor(r *http.Request) app.Call {
	return app.Call{Actor: authz.VisitorActor(), Door: app.Web, CorrelationID: requestOf(r.Context()).id}
}

type forgotData struct{ Email string }

// forgotSentData is the answer page: how long a link works, and, in the demo, where its
// mail can be read.
type forgotSentData struct {
	Lifetime string
	Demo     bool
}

func (s *Site) forgotForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "forgot", view{Title: "Reset your password", Nav: "signin", Data: forgotData{}})
}

// forgot asks for a reset link. Whether or not the email has an account, the answer is
// the same page, so the form tells nobody who is registered; only a malformed address is
// refused, beside the field.
func (s *Site) forgot(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	var d forgotData
	again := func(status int, errs fieldErrors) {
		s.render(w, r, status, "forgot", view{Title: "Reset your password", Nav: "signin", Errors: errs, Data: d})
	}
	if err := r.ParseForm(); err != nil {
		again(http.StatusBadRequest, fieldErrors{{"email", "The form could not be read; please try again."}})
		return
	}
	d.Email = strings.TrimSpace(r.PostForm.Get("email"))
	switch {
	case d.Email == "":
		again(http.StatusUnprocessableEntity, fieldErrors{{"email", "Enter the email address of your support-site account."}})
		return
	case len(d.Email) > maxEmailLength:
		again(http.StatusUnprocessableEntity, fieldErrors{{"email", fmt.Sprintf("An email address is at most %d characters.", maxEmailLength)}})
		return
	}
	if s.cfg.ResetLimits != nil {
		if ok, wait := s.cfg.ResetLimits.AllowPasswordReset(requestOf(r.Context()).ip, d.Email); !ok {
			w.Header().Set("Retry-After", fmt.Sprint(int(wait.Seconds())+1))
			again(http.StatusTooManyRequests, fieldErrors{{"email", fmt.Sprintf("Too many reset requests. Please wait %s and try again.", wait.Round(time.Second)+time.Second)}})
			return
		}
	}
	if err := s.cfg.App.RequestPasswordReset(r.Context(), s.visitor(r), account.RealmSupport, d.Email); err != nil {
		if errs := formErrors(err, emailFields); errs != nil {
			again(http.StatusUnprocessableEntity, errs)
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/password/forgot/sent", http.StatusSeeOther)
}

var emailFields = map[string]formField{"email": {"email", "Email address"}}

func (s *Site) forgotSent(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "forgotsent", view{Title: "Check your email", Nav: "signin",
		Data: forgotSentData{Lifetime: lifetime(account.ResetTokenLifetime), Demo: s.cfg.DevMailbox != nil}})
}

// resetData is the set-a-new-password form. The account id and token come from the
// emailed link and go back as hidden fields; the passwords are never sent back.
type resetData struct {
	AccountID string
	Token     string
	MinLength int
	MaxLength int
}

func (s *Site) resetForm(w http.ResponseWriter, r *http.Request) {
	d := resetData{AccountID: r.PathValue("account"), Token: r.PathValue("token"), MinLength: account.MinPasswordLength, MaxLength: account.MaxPasswordLength}
	// The address holds the link's token: no page this one leads to learns it, not even ours.
	w.Header().Set("Referrer-Policy", "no-referrer")
	// Opening the page uses nothing up (a mail scanner that fetches the link spends no
	// token): only sending the form does. Say at once that a link is used or expired, before the person types a new password.
	err := s.cfg.App.CheckResetLink(r.Context(), s.visitor(r), d.AccountID, d.Token)
	if msg, ok := linkRefusal(err); ok {
		s.render(w, r, http.StatusGone, "resetrefused", view{Title: "This link cannot be used", Nav: "signin", Data: msg})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "reset", view{Title: "Choose a new password", Nav: "signin", Data: d})
}

var resetFields = map[string]formField{"password": {"password", "Your new password"}}

// reset sets the new password with the link's token, through the application layer. A
// link that cannot be used (used already, replaced by a newer one, expired, made up) gets
// a page that says which, and how to get a new one.
func (s *Site) reset(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	d := resetData{MinLength: account.MinPasswordLength, MaxLength: account.MaxPasswordLength}
	again := func(status int, errs fieldErrors) {
		s.render(w, r, status, "reset", view{Title: "Choose a new password", Nav: "signin", Errors: errs, Data: d})
	}
	if err := r.ParseForm(); err != nil {
		again(http.StatusBadRequest, fieldErrors{{"password", "The form could not be read; please try again."}})
		return
	}
	d.AccountID, d.Token = r.PostForm.Get("account"), r.PostForm.Get("token")
	password, confirm := r.PostForm.Get("password"), r.PostForm.Get("confirm")
	var errs fieldErrors
	switch {
	case password == "":
		errs = append(errs, fieldError{"password", "Enter a new password."})
	case len(password) > maxPasswordSize:
		errs = append(errs, fieldError{"password", fmt.Sprintf("A password is at most %d characters.", account.MaxPasswordLength)})
	}
	if password != "" && confirm != password {
		errs = append(errs, fieldError{"confirm", "The two passwords are not the same: type the new password again."})
	}
	if errs != nil {
		again(http.StatusUnprocessableEntity, errs)
		return
	}
	err := s.cfg.App.CompletePasswordReset(r.Context(), s.visitor(r), d.AccountID, d.Token, password)
	if msg, ok := linkRefusal(err); ok {
		s.render(w, r, http.StatusGone, "resetrefused", view{Title: "This link cannot be used", Nav: "signin", Data: msg})
		return
	}
	if err != nil {
		if errs := formErrors(err, resetFields); errs != nil {
			again(http.StatusUnprocessableEntity, errs)
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/sign-in?reset=done", http.StatusSeeOther)
}

// linkRefusal says, in the person's words, why a reset link does not work.
func linkRefusal(err error) (string, bool) {
	switch {
	case err == nil:
		return "", false
	case errors.Is(err, account.ErrResetTokenUsed):
		return "This password reset link has already been used. Each link works once.", true
	case errors.Is(err, account.ErrResetTokenReplaced):
		return "A newer password reset email replaced this one. Use the link in the most recent email.", true
	case errors.Is(err, account.ErrResetTokenExpired):
		return fmt.Sprintf("This password reset link has expired: links work for %s after they are sent.", lifetime(account.ResetTokenLifetime)), true
	case errors.Is(err, account.ErrResetTokenInvalid), errors.Is(err, account.ErrAccountNotFound), errors.Is(err, account.ErrInvalidInput) && !strings.Contains(err.Error(), "field password"):
		return "This password reset link is not valid. Check that you copied the whole link from the email.", true
	}
	return "", false
}

func lifetime(d time.Duration) string {
	if d == time.Hour {
		return "one hour"
	}
	return d.String()
}
