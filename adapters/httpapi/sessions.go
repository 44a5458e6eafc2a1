package httpapi

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"ledgerdesk/app"
	"ledgerdesk/app/authz"
)

// ResetAccepted says a reset was asked for, without saying whether the account exists.
type ResetAccepted struct {
	Status string `json:"status"`
}

// Me is who the caller is.
type Me struct {
	Subject string `json:"subject"`
	Role    string `json:"role"`
	Via     string `json:"via" enum:"token,session"`
}

type sessionOutput struct {
	SetCookie http.Cookie `header:"Set-Cookie"`
	Body      Me
}

func (a *API) cookie(value string, expires time.Time) http.Cookie {
	return http.Cookie{Name: SessionCookie, Value: value, Path: "/", Expires: expires, HttpOnly: true,
		Secure: !a.cfg.InsecureCookies, SameSite: http.SameSiteStrictMode}
}

func (a *API) registerSessions() {
	const tag = "sessions"
	type loginInput struct {
		Body *struct {
			Email    string `json:"email" minLength:"3" maxLength:"320"`
			Password string `json:"password" minLength:"1" maxLength:"1000"`
			Code     string `json:"code,omitempty" maxLength:"10" doc:"Authenticator code, when two-factor is on"`
		} `required:"false" doc:"Email and password; leave out to turn the bearer token into a session"`
	}
	o := op(http.MethodPost, "/api/v1/sessions", "create-session", "Sign in: a session cookie (HttpOnly, Secure, SameSite=Strict) from a token or a password", tag, http.StatusCreated)
	o.Errors = append(o.Errors, http.StatusTooManyRequests)
	huma.Register(a.huma, o, func(ctx context.Context, in *loginInput) (*sessionOutput, error) {
		rq := requestOf(ctx)
		var (
			actor  authz.Actor
			secret string
			exp    time.Time
			err    error
		)
		switch {
		case in.Body != nil:
			if a.cfg.Login == nil {
				return nil, newProblem(http.StatusUnprocessableEntity, TypeRejected, "password sign-in is not available here; use an API token")
			}
			// Password guesses are what the limits are for: per address and per account.
			if ok, wait := a.limits.loginIP.allow("ip:" + rq.ip); !ok {
				return nil, rateLimited(wait, "sign-in attempts from this address")
			}
			if ok, wait := a.limits.loginAccount.allow("account:" + strings.ToLower(in.Body.Email)); !ok {
				return nil, rateLimited(wait, "sign-in attempts for this account")
			}
			subject, role, lerr := a.cfg.Login(ctx, in.Body.Email, in.Body.Password, in.Body.Code, rq.ip)
			if lerr != nil {
				return nil, newProblem(http.StatusUnauthorized, TypeUnauthorized, lerr.Error())
			}
			actor = authz.Actor{Subject: subject, Role: authz.Role(role)}
			if err := actor.Valid(); err != nil {
				return nil, a.queryError(ctx, err)
			}
			// The session lasts while the password it was signed in with does.
			secret, exp, err = a.principals.startSessionFromPassword(ctx, actor, subject, a.cfg.SessionTTL)
		case rq.authenticated && !rq.viaSession:
			actor = rq.actor
			// The session lasts while the token does.
			secret, exp, err = a.principals.startSessionFromToken(ctx, actor, rq.token, a.cfg.SessionTTL)
		default:
			return nil, newProblem(http.StatusUnauthorized, TypeUnauthorized, "send an email and password, or an API token as Bearer")
		}
		if err != nil {
			return nil, a.queryError(ctx, err)
		}
		return &sessionOutput{SetCookie: a.cookie(secret, exp), Body: Me{Subject: actor.Subject, Role: string(actor.Role), Via: "session"}}, nil
	})

	type noContent struct {
		SetCookie http.Cookie `header:"Set-Cookie"`
	}
	huma.Register(a.huma, op(http.MethodDelete, "/api/v1/sessions/current", "end-session", "Sign out", tag, http.StatusNoContent),
		func(ctx context.Context, _ *struct{}) (*noContent, error) {
			rq := requestOf(ctx)
			if !rq.viaSession {
				return nil, newProblem(http.StatusUnauthorized, TypeUnauthorized, "not signed in with a session")
			}
			if err := a.principals.endSession(ctx, rq.sessionSecret); err != nil {
				return nil, a.queryError(ctx, err)
			}
			c := a.cookie("", time.Unix(0, 0))
			c.MaxAge = -1
			return &noContent{SetCookie: c}, nil
		})

	type meOutput struct{ Body Me }
	huma.Register(a.huma, op(http.MethodGet, "/api/v1/me", "me", "Who the caller is", tag, http.StatusOK),
		func(ctx context.Context, _ *struct{}) (*meOutput, error) {
			actor, err := actorOf(ctx)
			if err != nil {
				return nil, err
			}
			via := "token"
			if requestOf(ctx).viaSession {
				via = "session"
			}
			return &meOutput{Body: Me{Subject: actor.Subject, Role: string(actor.Role), Via: via}}, nil
		})

	if a.cfg.PasswordReset != nil {
		type resetInput struct {
			Body struct {
				Email string `json:"email" minLength:"3" maxLength:"320"`
			}
		}
		type accepted struct{ Body ResetAccepted }
		o := op(http.MethodPost, "/api/v1/password-resets", "request-password-reset", "Email a single-use password reset link", tag, http.StatusAccepted)
		o.Security = []map[string][]string{{}}
		o.Errors = append(o.Errors, http.StatusTooManyRequests)
		huma.Register(a.huma, o, func(ctx context.Context, in *resetInput) (*accepted, error) {
			rq := requestOf(ctx)
			if ok, wait := a.limits.reset.allow("ip:"+rq.ip, "account:"+in.Body.Email); !ok {
				return nil, rateLimited(wait, "password reset requests")
			}
			// The answer is the same whether or not the email has an account.
			if err := a.cfg.PasswordReset(ctx, in.Body.Email, rq.ip); err != nil {
				a.log.WarnContext(ctx, "password reset", "err", err)
			}
			out := &accepted{}
			out.Body.Status = "if the address has an account, a reset link is on its way"
			return out, nil
		})
	}
}

// SupportAccount is a support-site account just registered.
type SupportAccount struct {
	AccountID string `json:"account_id"`
	Role      string `json:"role"`
}

// registerSignUp is POST /api/v1/support-accounts: a visitor registering their own
// support-site account, as the web's registration form does, through the application
// layer as a visitor. It spends the sign-in budget of the address and the email,
// so it is no faster a way to probe which emails are registered than signing in.
func (a *API) registerSignUp() {
	type signUpInput struct {
		Body struct {
			Email    string `json:"email" minLength:"3" maxLength:"320"`
			Name     string `json:"name" minLength:"1" maxLength:"200"`
			Password string `json:"password" minLength:"1" maxLength:"1000"`
		}
	}
	type created struct{ Body SupportAccount }
	o := op(http.MethodPost, "/api/v1/support-accounts", "register-support-account",
		"Register a support-site account (separate from the portal account; the same email may be used)", "sessions", http.StatusCreated)
	o.Security = []map[string][]string{{}}
	o.Errors = append(o.Errors, http.StatusTooManyRequests)
	huma.Register(a.huma, o, func(ctx context.Context, in *signUpInput) (*created, error) {
		rq := requestOf(ctx)
		if ok, wait := a.limits.loginIP.allow("ip:" + rq.ip); !ok {
			return nil, rateLimited(wait, "registrations from this address")
		}
		if ok, wait := a.limits.loginAccount.allow("account:" + strings.ToLower(in.Body.Email)); !ok {
			return nil, rateLimited(wait, "registrations for this email")
		}
		call := app.Call{Actor: authz.VisitorActor(), Door: app.HTTP, CorrelationID: rq.correlationID}
		accountID, err := a.cfg.App.SignUp(ctx, call, app.SignUp{Email: in.Body.Email, Name: in.Body.Name, Password: in.Body.Password})
		if err != nil {
			return nil, a.queryError(ctx, err)
		}
		return &created{Body: SupportAccount{AccountID: accountID, Role: string(authz.Patient)}}, nil
	})
}

// ProjectionList is where each read model has got to.
type ProjectionList struct {
	Projections []app.ProjectionStatus `json:"projections"`
}

func (a *API) registerOperations() {
	type statusOutput struct{ Body ProjectionList }
	huma.Register(a.huma, op(http.MethodGet, "/api/v1/projections", "projection-status", "Where each read model has got to: position, lag, parked events", "operations", http.StatusOK),
		func(ctx context.Context, _ *struct{}) (*statusOutput, error) {
			call, err := callOf(ctx, nil)
			if err != nil {
				return nil, err
			}
			st, err := a.cfg.App.ProjectionStatus(ctx, call)
			if err != nil {
				return nil, a.queryError(ctx, err)
			}
			out := &statusOutput{}
			out.Body.Projections = st
			if st == nil {
				out.Body.Projections = []app.ProjectionStatus{}
			}
			return out, nil
		})
}
