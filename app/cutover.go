package app

import (
	"context"
	"fmt"

	"ledgerdesk/app/authz"
	"ledgerdesk/commands"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/cutover"
)

var cutoverAggregate = aggregate[cutover.State, cutover.Command, cutover.Event]{
	decider: cutover.Decider,
	owner:   func(cutover.State) authz.Resource { return authz.Resource{} },
}

// The go-live date is the accounts department's, set by a deployment on start (as the
// system) and recorded on the day.
func init() {
	rule := authz.Rule{authz.Accounts: authz.Any, authz.Admin: authz.Any, authz.System: authz.Any}
	on(cutoverAggregate, "cutover.schedule_go_live", rule, func(cutover.ScheduleGoLive) string { return cutover.StreamID }, nil)
	on(cutoverAggregate, "cutover.record", rule, func(cutover.RecordCutover) string { return cutover.StreamID }, nil)
}

var accountAggregate = aggregate[account.State, account.Command, account.Event]{
	decider: account.Decider,
	owner:   func(s account.State) authz.Resource { return authz.Resource{OwnerID: s.ID} },
}

// Staff accounts and clinicians' bank details are an administrator's to set (the demo
// seed acts as one); support-site accounts go through the support workflows instead.
func init() {
	admin := authz.Rule{authz.Admin: authz.Any}
	on(accountAggregate, "account.set_payee_bank_details", admin,
		func(c account.SetPayeeBankDetails) string { return account.StreamID(c.AccountID) }, nil)
}

var registerAccount = declare(command("account.register", authz.Rule{authz.Admin: authz.Any}))

// RegisterAccount opens a staff-made account: the email is claimed for it first, under the
// same command id, so a retry finds both done and two accounts cannot share an email.
func (a *App) RegisterAccount(ctx context.Context, call Call, c account.Register) (Outcome, error) {
	return run(ctx, a, call, registerAccount, func(ctx context.Context, r *Request) (Outcome, error) {
		if err := commands.Claim(ctx, a.cfg.Commands, account.EmailReservationStream(c.Realm, c.Email), c.AccountID, r.Meta); err != nil {
			return Outcome{}, fmt.Errorf("claiming %s: %w", c.Email, err)
		}
		return decide(ctx, a, r, accountAggregate.decider, account.StreamID(c.AccountID), account.Command(c), accountAggregate.owner)
	})
}
