package httpapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"ledgerdesk/app"
	"ledgerdesk/commands/support"
	psupport "ledgerdesk/projections/support"
)

// bankDetailsPath is the clinician's bank details; its PUT carries their password and
// authenticator code, so its body is never hashed into the idempotency table (see
// carriesSecrets). Setting the same details twice changes nothing, so a retry is harmless
// without a key.
const bankDetailsPath = "/api/v1/clinicians/{clinicianID}/bank-details"

// carriesSecrets says a request's body holds a password: the idempotency middleware
// passes it straight through rather than keep a hash of it.
func carriesSecrets(r *http.Request) bool {
	if r.Method != http.MethodPut {
		return false
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/api/v1/clinicians/")
	if !ok {
		return false
	}
	id, tail, ok := strings.Cut(rest, "/")
	return ok && id != "" && tail == "bank-details"
}

type changesOutput struct{ Body PayeeChangeList }

// PayeeChangeList is changes to payee bank details, newest first.
type PayeeChangeList struct {
	Changes []psupport.PayeeChange `json:"changes"`
}

func (a *API) registerPayee() {
	if !a.cfg.App.HasSupport() {
		return
	}
	const tag = "payments"
	type setInput struct {
		ClinicianID string `path:"clinicianID" maxLength:"128"`
		Body        struct {
			AccountName   string `json:"account_name" minLength:"1" maxLength:"200" doc:"The name on the bank account"`
			SortCode      string `json:"sort_code" minLength:"1" maxLength:"20" doc:"Six digits, written 12-34-56 or 123456"`
			AccountNumber string `json:"account_number" minLength:"1" maxLength:"20" doc:"Eight digits"`
			Password      string `json:"password" minLength:"1" maxLength:"1000" doc:"Your password, again"`
			Code          string `json:"code" maxLength:"10" doc:"A fresh code from your authenticator app"`
		}
	}
	type setOutput struct{ Body app.PayeeChangeReport }
	o := op(http.MethodPut, bankDetailsPath, "set-bank-details",
		"Set your payee bank details, with your password and authenticator code again; your next payout waits out the cooling-off period. "+
			"Idempotency-Key is not stored for this request (its body holds your password); the same details again change nothing.",
		tag, http.StatusOK)
	o.Errors = append(o.Errors, http.StatusTooManyRequests)
	huma.Register(a.huma, o, func(ctx context.Context, in *setInput) (*setOutput, error) {
		call, err := callOf(ctx, nil)
		if err != nil {
			return nil, err
		}
		// Password guesses, here as at sign-in, are limited per account.
		if ok, wait := a.limits.loginAccount.allow("bank-details:" + call.Actor.Subject); !ok {
			return nil, rateLimited(wait, "bank details attempts for this account")
		}
		rep, err := a.cfg.App.ChangePayeeBankDetails(ctx, call, support.PayeeChange{AccountID: in.ClinicianID,
			AccountName: in.Body.AccountName, SortCode: in.Body.SortCode, AccountNumber: in.Body.AccountNumber,
			Password: in.Body.Password, Code: in.Body.Code})
		if err != nil {
			return nil, a.queryError(ctx, err)
		}
		return &setOutput{Body: rep}, nil
	})

	type getInput struct {
		ClinicianID string `path:"clinicianID" maxLength:"128"`
	}
	type getOutput struct{ Body app.PayeeDetails }
	huma.Register(a.huma, op(http.MethodGet, bankDetailsPath, "get-bank-details",
		"Where a clinician is paid now (the account number masked), and whether the cooling-off period still holds their payouts", tag, http.StatusOK),
		func(ctx context.Context, in *getInput) (*getOutput, error) {
			call, err := callOf(ctx, nil)
			if err != nil {
				return nil, err
			}
			d, err := a.cfg.App.PayeeBankDetails(ctx, call, in.ClinicianID)
			if err != nil {
				return nil, a.queryError(ctx, err)
			}
			return &getOutput{Body: d}, nil
		})

	type changesInput struct {
		ClinicianID string `path:"clinicianID" maxLength:"128"`
		Limit       int    `query:"limit" minimum:"1" maximum:"1000" default:"100"`
	}
	huma.Register(a.huma, op(http.MethodGet, bankDetailsPath+"/changes", "list-clinician-bank-details-changes",
		"Every change to a clinician's bank details, newest first, with who and when (the clinician their own; accounts, auditors and administrators anyone's)",
		tag, http.StatusOK),
		func(ctx context.Context, in *changesInput) (*changesOutput, error) {
			return a.payeeChanges(ctx, in.ClinicianID, in.Limit)
		})
	type allInput struct {
		Limit int `query:"limit" minimum:"1" maximum:"1000" default:"100"`
	}
	huma.Register(a.huma, op(http.MethodGet, "/api/v1/bank-details/changes", "list-bank-details-changes",
		"Every change to any clinician's bank details, newest first, with who and when (accounts, auditors and administrators)", tag, http.StatusOK),
		func(ctx context.Context, in *allInput) (*changesOutput, error) {
			return a.payeeChanges(ctx, "", in.Limit)
		})
}

func (a *API) payeeChanges(ctx context.Context, clinicianID string, limit int) (*changesOutput, error) {
	call, err := callOf(ctx, nil)
	if err != nil {
		return nil, err
	}
	list, err := a.cfg.App.PayeeChanges(ctx, call, clinicianID, limit)
	if err != nil {
		return nil, a.queryError(ctx, err)
	}
	return &changesOutput{Body: PayeeChangeList{Changes: list}}, nil
}
