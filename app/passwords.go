package app

import (
	"context"

	"github.com/google/uuid"

	"ledgerdesk/app/authz"
	"ledgerdesk/commands"
	"ledgerdesk/commands/support"
	"ledgerdesk/domain/account"
)

// The password reset journey, as the web pages and the API run it, and the query the mail
// sender composes its email with.
var (
	composeResetMail = declare(query("mail.password_reset.compose", systemOnly))
	// checkResetLink lets the page that sets a new password say at once that a link is used
	// or expired, before the person types anything; it changes nothing.
	checkResetLink = declare(query("account.password_reset.check", withVisitor(without(everyone, authz.Auditor))))
)

// CheckResetLink says whether a reset link would work now: nil, or why not
// (account.ErrResetTokenUsed, …Replaced, …Expired, …Invalid).
func (a *App) CheckResetLink(ctx context.Context, call Call, accountID, token string) error {
	_, err := run(ctx, a, call, checkResetLink, func(ctx context.Context, r *Request) (struct{}, error) {
		svc, err := a.support()
		if err != nil {
			return struct{}{}, err
		}
		return struct{}{}, svc.CheckResetLink(ctx, accountID, token)
	})
	return err
}

// RequestPasswordReset asks for a reset link for the account registered with email in
// realm. The answer is the same whether or not there is one (nil), so the form cannot
// tell anyone who has an account; a malformed email is still refused, naming the field.
// The link itself is mailed by the mail policies, from the event this appends.
func (a *App) RequestPasswordReset(ctx context.Context, call Call, realm account.Realm, email string) error {
	_, err := run(ctx, a, call, supportSteps["account.request_password_reset"], func(ctx context.Context, r *Request) (struct{}, error) {
		svc, err := a.support()
		if err != nil {
			return struct{}{}, err
		}
		_, _, err = svc.RequestPasswordReset(ctx, realm, email, visitorAsAccount(r))
		return struct{}{}, err
	})
	return err
}

// CompletePasswordReset sets a new password with the token from a reset link. The link
// works once, only if it is the newest, and only until it expires; each refusal says which.
func (a *App) CompletePasswordReset(ctx context.Context, call Call, accountID, token, password string) error {
	_, err := run(ctx, a, call, supportSteps["account.complete_password_reset"], func(ctx context.Context, r *Request) (struct{}, error) {
		svc, err := a.support()
		if err != nil {
			return struct{}{}, err
		}
		return struct{}{}, svc.CompletePasswordReset(ctx, accountID, token, password, visitorAsAccount(r))
	})
	return err
}

// PasswordResetMail is the email for the reset requested by command cause on accountID,
// or support.ErrResetLinkGone when its link no longer works.
func (a *App) PasswordResetMail(ctx context.Context, call Call, accountID string, cause uuid.UUID) (support.ResetMail, error) {
	return run(ctx, a, call, composeResetMail, func(ctx context.Context, r *Request) (support.ResetMail, error) {
		svc, err := a.support()
		if err != nil {
			return support.ResetMail{}, err
		}
		return svc.ResetMailFor(ctx, accountID, cause)
	})
}

// visitorAsAccount is the metadata for a step a visitor takes on an account without
// signing in: the support service records the account itself as the actor (whoever knew
// its email, or holds its link), as it does for someone registering.
func visitorAsAccount(r *Request) (m commands.Metadata) {
	m = r.Meta
	if r.Actor.Role == authz.Visitor {
		m.Actor = ""
	}
	return m
}
