package app

import (
	"context"
	"fmt"
	"time"

	"ledgerdesk/app/authz"
	"ledgerdesk/commands/support"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/contact"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/modulus"
	psupport "ledgerdesk/projections/support"
)

// A clinician's bank details are theirs alone to change (with their password and
// authenticator code again); accounts staff, auditors and administrators see every change.
var (
	changePayee = declare(command("account.change_payee_bank_details", authz.Rule{authz.Clinician: authz.Self}))
	readPayee   = declare(query("account.payee_bank_details_changes",
		authz.Rule{authz.Clinician: authz.Self, authz.Accounts: authz.Any, authz.Auditor: authz.Any, authz.Admin: authz.Any}))
)

// The staff route (account.set_payee_bank_details, an administrator entering a new
// clinician's first details) records the caller as who set them and can never claim the
// holder's re-authentication: only ChangePayeeBankDetails checks that.
func init() {
	guarded(func(_ context.Context, _ *App, r *Request, c account.SetPayeeBankDetails) error {
		if c.By != r.Actor.Subject || c.Reauthenticated {
			return fmt.Errorf("%w: field by: bank details set by staff are recorded as set by the caller, not re-authenticated", account.ErrInvalidInput)
		}
		return nil
	})
}

// PayeeChangeReport is what a bank details change did, in the words a clinician reads.
type PayeeChangeReport struct {
	AccountID string `json:"account_id"`
	// Changed is false when the details were already these: nothing was recorded.
	Changed       bool   `json:"changed"`
	AccountName   string `json:"account_name"`
	SortCode      string `json:"sort_code"`
	AccountNumber string `json:"account_number_masked"`
	// Modulus is the UK modulus check: passed, or not_checked with the reason why.
	Modulus modulus.Result `json:"modulus"`
	SetAt   time.Time      `json:"set_at"`
	// PayoutsHeldUntil is the end of the cooling-off period: no payout goes to these
	// details before it.
	PayoutsHeldUntil time.Time `json:"payouts_held_until"`
	Message          string    `json:"message"`
}

// ChangePayeeBankDetails sets the caller's own payee bank details, with their password and
// a fresh authenticator code; the clinician's next payout waits out the cooling-off period.
func (a *App) ChangePayeeBankDetails(ctx context.Context, call Call, c support.PayeeChange) (PayeeChangeReport, error) {
	return run(ctx, a, call, changePayee, func(ctx context.Context, r *Request) (PayeeChangeReport, error) {
		svc, err := a.support()
		if err != nil {
			return PayeeChangeReport{}, err
		}
		if err := r.Authorize(authz.Resource{OwnerID: c.AccountID}); err != nil {
			return PayeeChangeReport{}, err
		}
		res, err := svc.ChangePayeeBankDetails(ctx, c, r.Meta)
		if err != nil {
			return PayeeChangeReport{}, err
		}
		cooling := a.cfg.PayeeCoolingOff
		if cooling <= 0 {
			cooling = account.DefaultPayeeCoolingOff
		}
		rep := PayeeChangeReport{AccountID: c.AccountID, Changed: res.Changed, AccountName: res.Details.AccountName,
			SortCode: contact.FormatSortCode(res.Details.SortCode), AccountNumber: contact.MaskedAccountNumber(res.Details.AccountNumber),
			Modulus: res.Modulus, SetAt: res.SetAt, PayoutsHeldUntil: res.SetAt.Add(cooling)}
		held := "no payment goes to them before " + rep.PayoutsHeldUntil.In(ledger.London).Format("2 Jan 2006 15:04 MST") +
			" (a cooling-off period, because changed bank details are how payment fraud happens)"
		if res.Changed {
			rep.Message = "Your bank details were saved; " + held + ". Bank details check: " + res.Modulus.Reason + "."
		} else {
			rep.Message = "These are already your bank details; nothing was changed, and " + held + "."
		}
		return rep, nil
	})
}

// PayeeChanges lists changes to payee bank details, newest first: the clinician's own, or
// (for accounts staff, auditors and administrators) one clinician's or, with accountID
// empty, everyone's.
func (a *App) PayeeChanges(ctx context.Context, call Call, accountID string, limit int) ([]psupport.PayeeChange, error) {
	return run(ctx, a, call, readPayee, func(ctx context.Context, r *Request) ([]psupport.PayeeChange, error) {
		if err := r.Authorize(authz.Resource{OwnerID: accountID}); err != nil {
			return nil, err
		}
		out, err := psupport.PayeeChanges(ctx, a.cfg.DB, accountID, limit)
		if out == nil {
			out = []psupport.PayeeChange{}
		}
		return out, err
	})
}
