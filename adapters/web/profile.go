package web

import (
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	qrcode "github.com/skip2/go-qrcode"

	"ledgerdesk/app"
	"ledgerdesk/commands/support"
	"ledgerdesk/domain/account"
)

// My profile: the support-site account's details, its password, and two-factor set-up
// with a QR code and one-time recovery codes. Every form acts on the signed-in person's
// own account only (the application layer's rule is Self), through the same operations
// the API would use.

// profileData is the profile page: the details form as filled in (or as stored), and
// what is known of the password and two-factor.
type profileData struct {
	Name, Email, Phone string
	TwoFactor          bool
	RecoveryCodesLeft  int
	MinLength          int
	MaxLength          int
}

func (s *Site) profileView(r *http.Request, p app.Profile) profileData {
	return profileData{Name: p.Name, Email: p.Email, Phone: p.Phone, TwoFactor: p.TwoFactor, RecoveryCodesLeft: p.RecoveryCodesLeft,
		MinLength: account.MinPasswordLength, MaxLength: account.MaxPasswordLength}
}

func (s *Site) profile(w http.ResponseWriter, r *http.Request) {
	p, err := s.cfg.App.MyProfile(r.Context(), s.call(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := view{Title: "My profile", Nav: "profile", Data: s.profileView(r, p)}
	switch r.URL.Query().Get("saved") {
	case "details":
		v.Notice = "Your account details have been saved."
	case "password":
		v.Notice = "Your password has been changed."
	}
	s.render(w, r, http.StatusOK, "profile", v)
}

var profileFields = map[string]formField{
	"name":             {"name", "Name"},
	"email":            {"email", "Email address"},
	"phone":            {"phone", "Phone number"},
	"password":         {"new_password", "The new password"},
	"current_password": {"current_password", "Current password"},
}

// saveDetails changes name, email and phone. A refusal shows the form again as typed.
func (s *Site) saveDetails(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	p, err := s.cfg.App.MyProfile(r.Context(), s.call(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := s.profileView(r, p)
	again := func(status int, errs fieldErrors) {
		s.render(w, r, status, "profile", view{Title: "My profile", Nav: "profile", Errors: errs, Data: d})
	}
	if err := r.ParseForm(); err != nil {
		again(http.StatusBadRequest, fieldErrors{{"name", "The form could not be read; please try again."}})
		return
	}
	d.Name, d.Email, d.Phone = strings.TrimSpace(r.PostForm.Get("name")), strings.TrimSpace(r.PostForm.Get("email")), strings.TrimSpace(r.PostForm.Get("phone"))
	if len(d.Email) > maxEmailLength {
		again(http.StatusUnprocessableEntity, fieldErrors{{"email", fmt.Sprintf("An email address is at most %d characters.", maxEmailLength)}})
		return
	}
	err = s.cfg.App.UpdateMyProfile(r.Context(), s.call(r), d.Name, d.Email, d.Phone)
	switch {
	case err == nil:
		http.Redirect(w, r, "/profile?saved=details", http.StatusSeeOther)
	case errors.Is(err, support.ErrEmailTaken):
		again(http.StatusUnprocessableEntity, fieldErrors{{"email", "Another support-site account uses this email address. Choose a different one."}})
	default:
		if errs := formErrors(err, profileFields); errs != nil {
			again(http.StatusUnprocessableEntity, errs)
			return
		}
		s.fail(w, r, err)
	}
}

// changePassword sets a new password given the current one; no password is ever sent back.
func (s *Site) changePassword(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	p, err := s.cfg.App.MyProfile(r.Context(), s.call(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := s.profileView(r, p)
	again := func(status int, errs fieldErrors) {
		s.render(w, r, status, "profile", view{Title: "My profile", Nav: "profile", Errors: errs, Data: d})
	}
	if err := r.ParseForm(); err != nil {
		again(http.StatusBadRequest, fieldErrors{{"current_password", "The form could not be read; please try again."}})
		return
	}
	current, next, confirm := r.PostForm.Get("current_password"), r.PostForm.Get("new_password"), r.PostForm.Get("confirm_password")
	var errs fieldErrors
	if current == "" {
		errs = append(errs, fieldError{"current_password", "Enter your current password."})
	}
	switch {
	case next == "":
		errs = append(errs, fieldError{"new_password", "Enter a new password."})
	case len(next) > maxPasswordSize:
		errs = append(errs, fieldError{"new_password", fmt.Sprintf("A password is at most %d characters.", account.MaxPasswordLength)})
	case confirm != next:
		errs = append(errs, fieldError{"confirm_password", "The two new passwords are not the same: type the new password again."})
	}
	if errs != nil {
		again(http.StatusUnprocessableEntity, errs)
		return
	}
	err = s.cfg.App.ChangeMyPassword(r.Context(), s.call(r), current, next)
	switch {
	case err == nil:
		http.Redirect(w, r, "/profile?saved=password", http.StatusSeeOther)
	case errors.Is(err, support.ErrWrongPassword):
		again(http.StatusUnprocessableEntity, fieldErrors{{"current_password", "Your current password is not right."}})
	default:
		if errs := formErrors(err, profileFields); errs != nil {
			again(http.StatusUnprocessableEntity, errs)
			return
		}
		s.fail(w, r, err)
	}
}

// twoFactorData is the set-up page: the QR code of the otpauth URI, drawn here as a PNG
// in a data: URI (nothing is fetched from elsewhere), the secret to type by hand, and the
// enrolment's reference to confirm.
type twoFactorData struct {
	QR     template.URL
	Secret string
	Ref    string
	URI    string
}

// qrPixels is the QR image's size: large enough to scan from a phone held to a screen.
const qrPixels = 240

func twoFactorPage(e support.Enrolment) (twoFactorData, error) {
	png, err := qrcode.Encode(e.URL, qrcode.Medium, qrPixels)
	if err != nil {
		return twoFactorData{}, fmt.Errorf("drawing the QR code: %w", err)
	}
	// The data URI is made here, from bytes the encoder produced, so it is safe to mark.
	uri := template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
	return twoFactorData{QR: uri, Secret: groupSecret(e.Secret), Ref: e.SecretRef, URI: e.URL}, nil
}

// groupSecret spaces the secret in fours, as authenticator apps accept it typed.
func groupSecret(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// beginTwoFactor makes a new secret and shows it as a QR code. It is a POST: it keeps a
// new sealed secret, which a link followed by a browser's prefetcher must not do.
func (s *Site) beginTwoFactor(w http.ResponseWriter, r *http.Request) {
	e, err := s.cfg.App.BeginMyTwoFactor(r.Context(), s.call(r))
	if errors.Is(err, account.ErrTwoFactorEnrolled) {
		http.Redirect(w, r, "/profile", http.StatusSeeOther)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := twoFactorPage(e)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "twofactor", view{Title: "Set up two-factor authentication", Nav: "profile", Data: d})
}

// confirmTwoFactor turns two-factor on with a code from the app and shows the recovery
// codes, this once. A wrong code shows the same QR code again, with the message beside
// the field.
func (s *Site) confirmTwoFactor(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		http.Redirect(w, r, "/profile", http.StatusSeeOther)
		return
	}
	ref := r.PostForm.Get("ref")
	code := strings.ReplaceAll(strings.TrimSpace(r.PostForm.Get("code")), " ", "")
	// The page carried the otpauth URI only to draw it again after a wrong code; the
	// enrolment is by ref, whose sealed secret the service checks the code against. A URI
	// that is not one the service makes sends the person back to start again.
	secret, ok := otpauthSecret(r.PostForm.Get("uri"))
	if !ok {
		http.Redirect(w, r, "/profile", http.StatusSeeOther)
		return
	}
	again := func(status int, msg string) {
		d, err := twoFactorPage(support.Enrolment{SecretRef: ref, Secret: secret, URL: r.PostForm.Get("uri")})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.render(w, r, status, "twofactor", view{Title: "Set up two-factor authentication", Nav: "profile", Errors: fieldErrors{{"code", msg}}, Data: d})
	}
	if len(code) != 6 || strings.Trim(code, "0123456789") != "" {
		again(http.StatusUnprocessableEntity, "Enter the six-digit code your authenticator app shows.")
		return
	}
	codes, err := s.cfg.App.ConfirmMyTwoFactor(r.Context(), s.call(r), ref, code)
	switch {
	case err == nil:
		s.render(w, r, http.StatusOK, "recoverycodes", view{Title: "Two-factor authentication is on", Nav: "profile", Data: codes})
	case errors.Is(err, support.ErrWrongCode):
		again(http.StatusUnprocessableEntity, "That code is not right. Codes change every 30 seconds: enter the one your app shows now.")
	case errors.Is(err, support.ErrNoSuchEnrolment):
		again(http.StatusUnprocessableEntity, "This set-up has expired. Go back to My profile and start again.")
	case errors.Is(err, account.ErrTwoFactorEnrolled):
		http.Redirect(w, r, "/profile", http.StatusSeeOther)
	default:
		s.fail(w, r, err)
	}
}

// totpSecretPattern is a base32 TOTP secret as the service makes them.
var totpSecretPattern = regexp.MustCompile(`^[A-Z2-7]{16,128}$`)

// otpauthSecret reads the secret from an otpauth URI the set-up page carried, and says
// whether the URI is one the service could have made: otpauth://totp/…, short enough to
// draw, with a base32 secret.
func otpauthSecret(uri string) (string, bool) {
	if len(uri) > maxOTPAuthURI {
		return "", false
	}
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "otpauth" || u.Host != "totp" {
		return "", false
	}
	secret := u.Query().Get("secret")
	return secret, totpSecretPattern.MatchString(secret)
}

// maxOTPAuthURI bounds the URI drawn as a QR code (an issuer, an email and a secret).
const maxOTPAuthURI = 600
