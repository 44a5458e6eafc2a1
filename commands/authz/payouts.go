package authz

import (
	"context"

	"ledgerdesk/commands"
	cpayouts "ledgerdesk/commands/payouts"
)

// RunPayouts starts (or resumes) a payout run; only the accounts department may. The
// actor is recorded as the one who requested it.
func RunPayouts(ctx context.Context, deps commands.Deps, q cpayouts.EarningsFinder, actor Actor, req cpayouts.RunRequest) (cpayouts.RunReport, error) {
	if err := Authorize(actor, RunPayout, Resource{}); err != nil {
		return cpayouts.RunReport{}, err
	}
	req.RequestedBy = actor.Subject
	return cpayouts.Run(ctx, deps, q, req)
}
