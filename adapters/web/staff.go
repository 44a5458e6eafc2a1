package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"ledgerdesk/app"
	"ledgerdesk/app/authz"
	"ledgerdesk/commands/support"
	"ledgerdesk/domain/ticket"
	psupport "ledgerdesk/projections/support"
)

// The staff workspace: support agents and IT support sign in with a password and an
// authenticator code, work the queue and each ticket. Every staff page asks the
// application layer first (app.EnterStaffWorkspace: a staff role, on an agent's account
// with two-factor on), and every form goes through the same operations as the API.

// staffRoles are the roles a staff sign-in may act in.
var staffRoles = []authz.Role{authz.SupportAgent, authz.ITSupport}

var staffRoleLabels = map[authz.Role]string{authz.SupportAgent: "Support agent", authz.ITSupport: "IT support"}

// staffSignInData is the staff sign-in form as filled in: never the password or the code.
type staffSignInData struct {
	Email string
	Role  string
	Roles []option
}

// option is one choice of a select or a radio group.
type option struct {
	Value, Label string
	Selected     bool
}

func (s *Site) staffSignInView(d staffSignInData, errs fieldErrors) view {
	if d.Role == "" {
		d.Role = string(authz.SupportAgent)
	}
	d.Roles = nil
	for _, r := range staffRoles {
		d.Roles = append(d.Roles, option{Value: string(r), Label: staffRoleLabels[r], Selected: d.Role == string(r)})
	}
	return view{Title: "Staff sign-in", Nav: "staff", Errors: errs, Data: d}
}

func (s *Site) staffSignInForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "staff_signin", s.staffSignInView(staffSignInData{}, nil))
}

func (s *Site) staffSignIn(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.render(w, r, http.StatusBadRequest, "staff_signin", s.staffSignInView(staffSignInData{}, fieldErrors{{"email", "The form could not be read; please try again."}}))
		return
	}
	d := staffSignInData{Email: strings.TrimSpace(r.PostForm.Get("email")), Role: r.PostForm.Get("role")}
	password, code := r.PostForm.Get("password"), strings.TrimSpace(r.PostForm.Get("code"))
	again := func(status int, errs fieldErrors) {
		s.render(w, r, status, "staff_signin", s.staffSignInView(d, errs))
	}
	var errs fieldErrors
	switch {
	case d.Email == "":
		errs = append(errs, fieldError{"email", "Enter your email address."})
	case len(d.Email) > maxEmailLength:
		errs = append(errs, fieldError{"email", fmt.Sprintf("An email address is at most %d characters.", maxEmailLength)})
	}
	switch {
	case password == "":
		errs = append(errs, fieldError{"password", "Enter your password."})
	case len(password) > maxPasswordSize:
		errs = append(errs, fieldError{"password", fmt.Sprintf("A password is at most %d characters.", maxPasswordSize)})
	}
	switch {
	case code == "":
		errs = append(errs, fieldError{"code", "Enter the six-digit code from your authenticator app: staff always sign in with one."})
	case len(code) != 6 || strings.Trim(code, "0123456789") != "":
		errs = append(errs, fieldError{"code", "The authenticator code is the six digits your app shows."})
	}
	role := authz.Role(d.Role)
	if _, ok := staffRoleLabels[role]; !ok {
		errs = append(errs, fieldError{"role-" + string(authz.SupportAgent), "Choose whether you are signing in as a support agent or as IT support."})
	}
	if errs != nil {
		again(http.StatusUnprocessableEntity, errs)
		return
	}
	if s.overSignInLimit(w, r, d.Email, "sign-in attempts", again) {
		return
	}
	a, ok := s.authenticate(w, r, d.Email, password, code, again)
	if !ok {
		return
	}
	if err := support.CheckStaffSession(a); err != nil {
		if errors.Is(err, support.ErrStaffTwoFactor) {
			again(http.StatusForbidden, fieldErrors{{"code", staffTwoFactorMessage}})
		} else {
			again(http.StatusForbidden, fieldErrors{{"email", "This is not a staff account. To open or follow your own tickets, use the support centre’s sign-in page."}})
		}
		return
	}
	c, err := s.cfg.Sessions.Start(r.Context(), authz.Actor{Subject: a.ID, Role: role})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.SetCookie(w, c)
	http.Redirect(w, r, "/staff/queue", http.StatusSeeOther)
}

const staffTwoFactorMessage = "This staff account has no two-factor authentication set up, so it cannot sign in to the staff pages. Ask IT support to set up an authenticator app for it first."

// staff admits only staff to h: someone not signed in goes to the staff sign-in; anyone
// else the application layer refuses (a requester, a staff account without two-factor)
// gets the 403 page saying why.
func (s *Site) staff(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, ok := actor(r); !ok {
			if r.Header.Get("HX-Request") == "true" {
				// htmx's poll: send the whole page to sign in, not the sign-in page into the table.
				w.Header().Set("HX-Redirect", "/staff/sign-in")
				w.WriteHeader(http.StatusNoContent)
				return
			}
			http.Redirect(w, r, "/staff/sign-in", http.StatusSeeOther)
			return
		}
		if err := s.cfg.App.EnterStaffWorkspace(r.Context(), s.call(r)); err != nil {
			switch {
			case errors.Is(err, support.ErrStaffTwoFactor):
				s.render(w, r, http.StatusForbidden, "problem", view{Title: "Two-factor authentication is required for staff", Data: staffTwoFactorMessage})
			case app.ClassOf(err) == app.Forbidden:
				s.render(w, r, http.StatusForbidden, "problem", view{Title: "These pages are for support staff", Data: "Your account cannot use the staff pages. Your own tickets are under My tickets."})
			default:
				s.fail(w, r, err)
			}
			return
		}
		h(w, r)
	}
}

// renderFragment writes one named template of page, without the layout: what htmx swaps in.
func (s *Site) renderFragment(w http.ResponseWriter, r *http.Request, page, name string, v view) {
	t, ok := s.pages.byName[page]
	if !ok {
		s.fail(w, r, fmt.Errorf("web: no page %s", page))
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, v); err != nil {
		s.fail(w, r, fmt.Errorf("web: rendering %s of %s: %w", name, page, err))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
}

// agentNames is who each agent is, by account id, for the pages to name people.
func (s *Site) agentNames(ctx context.Context, call app.Call) ([]psupport.Agent, map[string]string, error) {
	as, err := s.cfg.App.SupportAgents(ctx, call)
	if err != nil {
		return nil, nil, err
	}
	names := map[string]string{}
	for _, a := range as {
		names[a.AccountID] = a.Name
	}
	return as, names, nil
}

var priorityOrder = []ticket.Priority{ticket.PriorityUrgent, ticket.PriorityHigh, ticket.PriorityNormal, ticket.PriorityLow}

var priorityLabels = map[ticket.Priority]string{ticket.PriorityUrgent: "Urgent", ticket.PriorityHigh: "High", ticket.PriorityNormal: "Normal", ticket.PriorityLow: "Low"}

// staffStatusLabels name the statuses as staff see them ("pending" is the requester's turn).
var staffStatusLabels = map[ticket.Status]string{
	ticket.StatusNew: "New", ticket.StatusOpen: "Open", ticket.StatusPending: "Pending (waiting for the requester)",
	ticket.StatusOnHold: "On hold", ticket.StatusSolved: "Solved", ticket.StatusClosed: "Closed",
}

var allStatuses = []ticket.Status{ticket.StatusNew, ticket.StatusOpen, ticket.StatusPending, ticket.StatusOnHold, ticket.StatusSolved, ticket.StatusClosed}

// ages are the queue's age filter's choices.
var ages = []struct {
	value string
	label string
	d     time.Duration
}{
	{"1h", "Older than 1 hour", time.Hour},
	{"4h", "Older than 4 hours", 4 * time.Hour},
	{"1d", "Older than 1 day", 24 * time.Hour},
	{"3d", "Older than 3 days", 72 * time.Hour},
	{"7d", "Older than 7 days", 7 * 24 * time.Hour},
}

// ageText is how long ago, in words a queue can be scanned by.
func ageText(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h", int(d.Hours()))
	}
	return fmt.Sprintf("%d days", int(d.Hours()/24))
}

func selectOptions(values []string, labels []string, selected string) []option {
	out := make([]option, len(values))
	for i := range values {
		out[i] = option{Value: values[i], Label: labels[i], Selected: values[i] == selected}
	}
	return out
}

// staffRoutes are the staff workspace's pages and forms.
func (s *Site) staffRoutes(handle func(string, http.HandlerFunc)) {
	handle("GET /staff/sign-in", s.staffSignInForm)
	handle("POST /staff/sign-in", s.staffSignIn)
	handle("GET /staff/{$}", s.staff(func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/staff/queue", http.StatusSeeOther) }))
	handle("GET /staff/queue", s.staff(s.staffQueue))
	handle("GET /staff/tickets/{id}", s.staff(s.staffTicket))
	for name, a := range s.staffActions() {
		handle("POST /staff/tickets/{id}/"+name, s.staff(s.staffPost(a)))
	}
}
