package app

import (
	"context"
	"fmt"

	"ledgerdesk/app/authz"
	"ledgerdesk/commands"
	"ledgerdesk/commands/support"
)

// The support centre's other work: steps on an account or a ticket that the support
// service carries out, each under its own action and rule. The service checks the rest
// against the records themselves (that an agent's account is an agent's, that a grant is
// the holder's and still open).
var (
	everyone = func() authz.Rule {
		r := authz.Rule{authz.System: authz.Any}
		for _, role := range authz.Roles() {
			r[role] = authz.Any
		}
		return r
	}()
	agentsAndSystem = authz.Rule{authz.SupportAgent: authz.Any, authz.ITSupport: authz.Any, authz.Admin: authz.Any, authz.System: authz.Any}
	holders         = authz.Rule{authz.Patient: authz.Self, authz.Clinician: authz.Self, authz.Admin: authz.Any}
	holdersAndStaff = authz.Rule{authz.Patient: authz.Self, authz.Clinician: authz.Self, authz.SupportAgent: authz.Self, authz.ITSupport: authz.Self, authz.Admin: authz.Any}
	holdersOrAgents = withRequesters(authz.Rule{authz.SupportAgent: authz.Any, authz.ITSupport: authz.Any, authz.Admin: authz.Any}, authz.Self)
	systemOnly      = authz.Rule{authz.System: authz.Any}

	supportSteps = map[string]Spec{}
)

func step(action string, rule authz.Rule) {
	supportSteps[action] = declare(command(action, rule))
}

func init() {
	step("support.account.register", authz.Rule{authz.ITSupport: authz.Any, authz.Admin: authz.Any})
	step("account.block_ip", agentsAndSystem)
	step("account.unblock_ip", agents)
	step("account.set_postal_address", holdersOrAgents)
	// Staff set up two-factor on their own accounts too: a staff session needs it.
	step("account.begin_two_factor", holdersAndStaff)
	step("account.confirm_two_factor", holdersAndStaff)
	step("account.reset_two_factor", systemOnly)
	step("account.grant_support_access", holders)
	step("account.revoke_support_access", holders)
	step("account.change_password_as_support", agents)
	step("account.start_log_in_as", agents)
	step("account.record_support_action", agents)
	// Anyone may ask for a reset link for an account (it goes to the account's own
	// email), a visitor who has not signed in above all; auditors change nothing, not even
	// that. Completing one needs no sign-in either: the link's token is the authority.
	step("account.request_password_reset", withVisitor(without(everyone, authz.Auditor)))
	step("account.complete_password_reset", withVisitor(without(everyone, authz.Auditor)))
	step("account.password.reset_on_behalf", authz.Rule{authz.ITSupport: authz.Any})
	step("ticket.assign", agents)
	step("ticket.set_priority", agents)
	step("ticket.attach", withRequesters(agents, authz.Self))
	step("ticket.identity_document.read", authz.Rule{authz.SupportAgent: authz.Any})
	step("ticket.verify_identity", authz.Rule{authz.SupportAgent: authz.Any})
	step("ticket.destroy_expired_documents", authz.Rule{authz.System: authz.Any, authz.ITSupport: authz.Any, authz.Admin: authz.Any})
	step("ticket.destroy_document_bytes", systemOnly)
	// The auto-close sweep, and an operator running it by hand.
	step("ticket.close_solved", authz.Rule{authz.System: authz.Any, authz.Admin: authz.Any})
}

// AccountStep runs one support step on the account accountID for the caller: a holder only
// on their own account, where the rule says so.
func (a *App) AccountStep(ctx context.Context, call Call, action, accountID string, f func(context.Context, *support.Service, commands.Metadata) error) error {
	spec, ok := supportSteps[action]
	if !ok {
		return fmt.Errorf("app: %q is not a support step", action)
	}
	_, err := run(ctx, a, call, spec, func(ctx context.Context, r *Request) (struct{}, error) {
		svc, err := a.support()
		if err != nil {
			return struct{}{}, err
		}
		if err := r.Authorize(authz.Resource{OwnerID: accountID}); err != nil {
			return struct{}{}, err
		}
		return struct{}{}, f(ctx, svc, r.Meta)
	})
	return err
}

// TicketStep runs one support step on a ticket for the caller: a requester only on their
// own ticket, where the rule says so.
func (a *App) TicketStep(ctx context.Context, call Call, action, ticketID string, f func(context.Context, *support.Service, commands.Metadata) error) error {
	spec, ok := supportSteps[action]
	if !ok {
		return fmt.Errorf("app: %q is not a support step", action)
	}
	return a.onTicket(ctx, call, spec, ticketID, func(ctx context.Context, svc *support.Service, r *Request) error {
		return f(ctx, svc, r.Meta)
	})
}

// HasSupport says whether this deployment runs the support centre.
func (a *App) HasSupport() bool { return a.cfg.Support != nil }

func without(r authz.Rule, role authz.Role) authz.Rule {
	out := authz.Rule{}
	for k, v := range r {
		if k != role {
			out[k] = v
		}
	}
	return out
}

// withVisitor is r that also admits a visitor who has not signed in.
func withVisitor(r authz.Rule) authz.Rule {
	out := authz.Rule{authz.Visitor: authz.Any}
	for k, v := range r {
		out[k] = v
	}
	return out
}
