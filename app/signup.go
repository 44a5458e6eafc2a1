package app

import (
	"context"

	"ledgerdesk/app/authz"
	"ledgerdesk/commands/support"
	"ledgerdesk/domain/account"
)

// signUp is a visitor registering their own support-site account: the help page's "you
// will have to register an account on this site to submit tickets". Only a visitor who
// has not signed in does it; staff create accounts with support.account.register.
var signUp = declare(command("support.account.sign_up", authz.Rule{authz.Visitor: authz.Any}))

// SignUp is what the registration form sends.
type SignUp struct {
	Email    string
	Name     string
	Password string
}

// SignUp registers a support-site account for a requester and returns its id. It is a
// different account from any portal account, even with the same email and password, as
// the help page says; an email already registered on the support site is
// support.ErrEmailTaken. A retry with the same command id registers nothing more.
func (a *App) SignUp(ctx context.Context, call Call, s SignUp) (string, error) {
	return run(ctx, a, call, signUp, func(ctx context.Context, r *Request) (string, error) {
		svc, err := a.support()
		if err != nil {
			return "", err
		}
		return svc.Register(ctx, support.Registration{Realm: account.RealmSupport, Role: account.RoleRequester, Email: s.Email, Name: s.Name, Password: s.Password},
			visitorAsAccount(r))
	})
}
