package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"ledgerdesk/app"
	"ledgerdesk/app/authz"
	"ledgerdesk/commands/support"
	"ledgerdesk/domain/account"
)

// registerData is the registration form as filled in: the passwords are never sent back.
type registerData struct {
	Name, Email string
	MinLength   int
	MaxLength   int
}

func newRegisterData() registerData {
	return registerData{MinLength: account.MinPasswordLength, MaxLength: account.MaxPasswordLength}
}

func (s *Site) registerForm(w http.ResponseWriter, r *http.Request) {
	if _, ok := actor(r); ok {
		http.Redirect(w, r, "/tickets", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "register", view{Title: "Register for the Support Centre", Nav: "register", Data: newRegisterData()})
}

var registerFields = map[string]formField{
	"email":    {"email", "Email address"},
	"name":     {"name", "Your name"},
	"password": {"password", "Your password"},
}

// register opens a support-site account for a visitor and signs them in. It spends the
// sign-in budget of the address and the email: a registration says whether an email is
// taken, so it must be no faster a probe than signing in.
func (s *Site) register(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	d := newRegisterData()
	again := func(status int, errs fieldErrors) {
		s.render(w, r, status, "register", view{Title: "Register for the Support Centre", Nav: "register", Errors: errs, Data: d})
	}
	if err := r.ParseForm(); err != nil {
		again(http.StatusBadRequest, fieldErrors{{"name", "The form could not be read; please try again."}})
		return
	}
	d.Name, d.Email = strings.TrimSpace(r.PostForm.Get("name")), strings.TrimSpace(r.PostForm.Get("email"))
	password, confirm := r.PostForm.Get("password"), r.PostForm.Get("confirm")
	var errs fieldErrors
	if d.Name == "" {
		errs = append(errs, fieldError{"name", "Enter your name."})
	}
	switch {
	case d.Email == "":
		errs = append(errs, fieldError{"email", "Enter your email address."})
	case len(d.Email) > maxEmailLength:
		errs = append(errs, fieldError{"email", fmt.Sprintf("An email address is at most %d characters.", maxEmailLength)})
	}
	switch {
	case password == "":
		errs = append(errs, fieldError{"password", "Choose a password."})
	case len(password) > maxPasswordSize:
		errs = append(errs, fieldError{"password", fmt.Sprintf("A password is at most %d characters.", account.MaxPasswordLength)})
	case confirm != password:
		errs = append(errs, fieldError{"confirm", "The two passwords are not the same: type the password again."})
	}
	if errs != nil {
		again(http.StatusUnprocessableEntity, errs)
		return
	}
	if s.overSignInLimit(w, r, d.Email, "attempts", again) {
		return
	}
	call := s.visitor(r)
	id, err := s.cfg.App.SignUp(r.Context(), call, app.SignUp{Email: d.Email, Name: d.Name, Password: password})
	switch {
	case errors.Is(err, support.ErrEmailTaken):
		again(http.StatusConflict, fieldErrors{{"email", "A support-site account already has this email address. Sign in, or reset your password if you have forgotten it."}})
		return
	case err != nil:
		if errs := formErrors(err, registerFields); errs != nil {
			again(http.StatusUnprocessableEntity, errs)
			return
		}
		s.fail(w, r, err)
		return
	}
	// Signed in at once, as the person who just chose the password.
	c, err := s.cfg.Sessions.Start(r.Context(), authz.Actor{Subject: id, Role: authz.Patient})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.SetCookie(w, c)
	http.Redirect(w, r, "/tickets?welcome=1", http.StatusSeeOther)
}
