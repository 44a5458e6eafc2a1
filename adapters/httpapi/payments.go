package httpapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"ledgerdesk/commands/authz"
	cpayouts "ledgerdesk/commands/payouts"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/projections/earnings"
	ppayouts "ledgerdesk/projections/payouts"
)

func (a *API) registerPayments() {
	const tag = "payments"
	type earningsInput struct {
		ClinicianID string `path:"clinicianID" maxLength:"100"`
	}
	type earningsOutput struct{ Body earnings.Summary }
	huma.Register(a.huma, op(http.MethodGet, "/api/v1/clinicians/{clinicianID}/earnings", "clinician-earnings",
		"A clinician's pending payments (and why), released, in payout and paid", tag, http.StatusOK),
		func(ctx context.Context, in *earningsInput) (*earningsOutput, error) {
			actor, err := actorOf(ctx)
			if err != nil {
				return nil, err
			}
			s, err := authz.EarningsForClinician(ctx, a.cfg.DB, actor, in.ClinicianID)
			if err != nil {
				return nil, a.queryError(ctx, err)
			}
			fillEarnings(&s)
			return &earningsOutput{Body: s}, nil
		})

	type listOutput struct{ Body PayoutList }
	huma.Register(a.huma, op(http.MethodGet, "/api/v1/payouts", "list-payouts", "Payout runs, newest first", tag, http.StatusOK),
		func(ctx context.Context, _ *struct{}) (*listOutput, error) {
			actor, err := actorOf(ctx)
			if err != nil {
				return nil, err
			}
			runs, err := authz.ListPayouts(ctx, a.cfg.DB, actor)
			if err != nil {
				return nil, a.queryError(ctx, err)
			}
			out := &listOutput{}
			out.Body.Payouts = runs
			if runs == nil {
				out.Body.Payouts = []ppayouts.Run{}
			}
			return out, nil
		})
	type getInput struct {
		ID string `path:"id" maxLength:"100"`
	}
	type getOutput struct{ Body ppayouts.Run }
	huma.Register(a.huma, op(http.MethodGet, "/api/v1/payouts/{id}", "get-payout", "One payout run with its lines", tag, http.StatusOK),
		func(ctx context.Context, in *getInput) (*getOutput, error) {
			actor, err := actorOf(ctx)
			if err != nil {
				return nil, err
			}
			r, err := authz.GetPayout(ctx, a.cfg.DB, actor, in.ID)
			if err != nil {
				return nil, a.queryError(ctx, err)
			}
			return &getOutput{Body: r}, nil
		})

	type runInput struct {
		CommandHeaders
		Body struct {
			PayoutID   string   `json:"payout_id" minLength:"1" maxLength:"100" doc:"Names the run; the same id again resumes it"`
			Cutoff     string   `json:"cutoff" format:"date" doc:"Pay work done and released on or before this date (Europe/London)"`
			Clinicians []string `json:"clinicians,omitempty" maxItems:"10000"`
		}
	}
	type runOutput struct{ Body cpayouts.RunReport }
	huma.Register(a.huma, op(http.MethodPost, "/api/v1/payouts", "run-payout", "Run a payout (accounts department only)", tag, http.StatusOK),
		func(ctx context.Context, in *runInput) (*runOutput, error) {
			actor, err := actorOf(ctx)
			if err != nil {
				return nil, err
			}
			cutoff, err := ledger.ParseDate(in.Body.Cutoff)
			if err != nil {
				return nil, newProblem(http.StatusBadRequest, TypeValidation, "cutoff: "+err.Error())
			}
			rep, err := authz.RunPayouts(ctx, a.cfg.Commands, earnings.Finder{Q: a.cfg.DB}, actor, cpayouts.RunRequest{
				PayoutID: in.Body.PayoutID, Cutoff: cutoff, At: a.now(), Clinicians: in.Body.Clinicians,
				CorrelationID: requestOf(ctx).correlationID})
			if err != nil {
				a.metrics.command("payout.run", problemFor(err).Type[len(ProblemBase):])
				return nil, a.queryError(ctx, err)
			}
			a.metrics.command("payout.run", "ok")
			return &runOutput{Body: rep}, nil
		})
}

// PayoutList is the payout runs.
type PayoutList struct {
	Payouts []ppayouts.Run `json:"payouts"`
}

// fillEarnings makes empty groups empty arrays, as the document promises.
func fillEarnings(s *earnings.Summary) {
	for _, g := range []*[]earnings.Item{&s.Pending, &s.Released, &s.InPayout, &s.Paid} {
		if *g == nil {
			*g = []earnings.Item{}
		}
	}
}
