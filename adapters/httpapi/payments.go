package httpapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	cpayouts "ledgerdesk/commands/payouts"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/projections/earnings"
	ppayouts "ledgerdesk/projections/payouts"
)

func (a *API) registerPayments() {
	const tag = "payments"
	type earningsInput struct {
		ClinicianID string `path:"clinicianID" maxLength:"128"`
	}
	type earningsOutput struct{ Body earnings.Summary }
	huma.Register(a.huma, op(http.MethodGet, "/api/v1/clinicians/{clinicianID}/earnings", "clinician-earnings",
		"A clinician's pending payments (and why), released, in payout and paid", tag, http.StatusOK),
		func(ctx context.Context, in *earningsInput) (*earningsOutput, error) {
			call, err := callOf(ctx, nil)
			if err != nil {
				return nil, err
			}
			s, err := a.cfg.App.Earnings(ctx, call, in.ClinicianID)
			if err != nil {
				return nil, a.queryError(ctx, err)
			}
			fillEarnings(&s)
			return &earningsOutput{Body: s}, nil
		})

	type listOutput struct{ Body PayoutList }
	huma.Register(a.huma, op(http.MethodGet, "/api/v1/payouts", "list-payouts", "Payout runs, newest first", tag, http.StatusOK),
		func(ctx context.Context, _ *struct{}) (*listOutput, error) {
			call, err := callOf(ctx, nil)
			if err != nil {
				return nil, err
			}
			runs, err := a.cfg.App.Payouts(ctx, call)
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
		ID string `path:"id" maxLength:"128"`
	}
	type getOutput struct{ Body ppayouts.Run }
	huma.Register(a.huma, op(http.MethodGet, "/api/v1/payouts/{id}", "get-payout", "One payout run with its lines", tag, http.StatusOK),
		func(ctx context.Context, in *getInput) (*getOutput, error) {
			call, err := callOf(ctx, nil)
			if err != nil {
				return nil, err
			}
			r, err := a.cfg.App.Payout(ctx, call, in.ID)
			if err != nil {
				return nil, a.queryError(ctx, err)
			}
			return &getOutput{Body: r}, nil
		})

	type runInput struct {
		CommandHeaders
		Body struct {
			PayoutID   string   `json:"payout_id" minLength:"1" maxLength:"128" doc:"Names the run; the same id again resumes it"`
			Cutoff     string   `json:"cutoff" format:"date" doc:"Pay work done and released on or before this date (Europe/London)"`
			Clinicians []string `json:"clinicians,omitempty" maxItems:"10000"`
		}
	}
	type runOutput struct{ Body cpayouts.RunReport }
	huma.Register(a.huma, op(http.MethodPost, "/api/v1/payouts", "run-payout", "Run a payout (accounts department only)", tag, http.StatusOK),
		func(ctx context.Context, in *runInput) (*runOutput, error) {
			call, err := callOf(ctx, nil)
			if err != nil {
				return nil, err
			}
			cutoff, err := ledger.ParseDate(in.Body.Cutoff)
			if err != nil {
				return nil, newProblem(http.StatusBadRequest, TypeValidation, "cutoff: "+err.Error())
			}
			rep, err := a.cfg.App.RunPayout(ctx, call, cpayouts.RunRequest{
				PayoutID: in.Body.PayoutID, Cutoff: cutoff, At: a.now(), Clinicians: in.Body.Clinicians})
			if err != nil {
				return nil, a.queryError(ctx, err)
			}
			return &runOutput{Body: rep}, nil
		})
}

// PayoutList is the payout runs.
type PayoutList struct {
	Payouts []ppayouts.Run `json:"payouts"`
}

// fillEarnings makes empty groups empty arrays, as the document promises.
func fillEarnings(s *earnings.Summary) {
	for _, g := range []*[]earnings.Item{&s.Pending, &s.Voided, &s.Released, &s.InPayout, &s.Paid} {
		if *g == nil {
			*g = []earnings.Item{}
		}
	}
	if s.V1Imported.Items == nil {
		s.V1Imported.Items = []earnings.V1Item{}
	}
}
