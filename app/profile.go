package app

import (
	"context"

	"ledgerdesk/app/authz"
	"ledgerdesk/commands"
	"ledgerdesk/commands/support"
)

// My profile: the holder of a support-site account reads and edits their own details,
// changes their password, and sets up two-factor (account.begin_two_factor and
// account.confirm_two_factor, in support.go).
var readOwnAccount = declare(query("account.profile.read", holders))

func init() {
	step("account.profile.update", holders)
	step("account.password.change", holders)
}

// Profile is what My profile shows of the holder's own account.
type Profile struct {
	AccountID string
	Name      string
	Email     string
	Phone     string
	TwoFactor bool
	// RecoveryCodesLeft is how many unused recovery codes the holder has.
	RecoveryCodesLeft int
}

// MyProfile is the caller's own account: nobody reads another's this way.
func (a *App) MyProfile(ctx context.Context, call Call) (Profile, error) {
	return run(ctx, a, call, readOwnAccount, func(ctx context.Context, r *Request) (Profile, error) {
		svc, err := a.support()
		if err != nil {
			return Profile{}, err
		}
		if err := r.Authorize(authz.Resource{OwnerID: r.Actor.Subject}); err != nil {
			return Profile{}, err
		}
		s, err := svc.Account(ctx, r.Actor.Subject)
		if err != nil {
			return Profile{}, err
		}
		return Profile{AccountID: s.ID, Name: s.Name, Email: s.Email, Phone: s.Phone, TwoFactor: s.TwoFactorEnabled(), RecoveryCodesLeft: s.RecoveryCodesLeft()}, nil
	})
}

// UpdateMyProfile changes the caller's own name, email and phone.
func (a *App) UpdateMyProfile(ctx context.Context, call Call, name, email, phone string) error {
	id := call.Actor.Subject
	return a.AccountStep(ctx, call, "account.profile.update", id, func(ctx context.Context, svc *support.Service, meta commands.Metadata) error {
		return svc.UpdateProfile(ctx, support.Profile{AccountID: id, Name: name, Email: email, Phone: phone}, meta)
	})
}

// ChangeMyPassword sets the caller's new password, given their current one.
func (a *App) ChangeMyPassword(ctx context.Context, call Call, current, next string) error {
	id := call.Actor.Subject
	return a.AccountStep(ctx, call, "account.password.change", id, func(ctx context.Context, svc *support.Service, meta commands.Metadata) error {
		return svc.ChangePassword(ctx, id, current, next, meta)
	})
}

// BeginMyTwoFactor starts two-factor set-up on the caller's own account: a new secret,
// kept sealed, to be shown as a QR code and confirmed with a code.
func (a *App) BeginMyTwoFactor(ctx context.Context, call Call) (support.Enrolment, error) {
	id := call.Actor.Subject
	var e support.Enrolment
	err := a.AccountStep(ctx, call, "account.begin_two_factor", id, func(ctx context.Context, svc *support.Service, meta commands.Metadata) error {
		var err error
		e, err = svc.BeginTwoFactor(ctx, id, meta)
		return err
	})
	return e, err
}

// ConfirmMyTwoFactor turns two-factor on with a code from the app, and returns the
// one-time recovery codes: shown once, kept only as hashes.
func (a *App) ConfirmMyTwoFactor(ctx context.Context, call Call, ref, code string) ([]string, error) {
	id := call.Actor.Subject
	var codes []string
	err := a.AccountStep(ctx, call, "account.confirm_two_factor", id, func(ctx context.Context, svc *support.Service, meta commands.Metadata) error {
		if err := svc.ConfirmTwoFactor(ctx, id, ref, code, meta); err != nil {
			return err
		}
		var err error
		codes, err = svc.IssueRecoveryCodes(ctx, id, meta)
		return err
	})
	return codes, err
}
