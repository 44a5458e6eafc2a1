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
	changePayee  = declare(command("account.change_payee_bank_details", authz.Rule{authz.Clinician: authz.Self}))
	payeeReaders = authz.Rule{authz.Clinician: authz.Self, authz.Accounts: authz.Any, authz.Auditor: authz.Any, authz.Admin: authz.Any}
	readPayee    = declare(query("account.payee_bank_details_changes", payeeReaders))
	readPayeeNow = declare(query("account.payee_bank_details.read", payeeReaders))
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

// PayeeDetails is where a clinician is paid now, masked, and whether payouts to it are
// still held.
type PayeeDetails struct {
	AccountID string `json:"account_id"`
	// Set is false when the clinician has no bank details: payouts skip them.
	Set           bool      `json:"set"`
	AccountName   string    `json:"account_name,omitempty"`
	SortCode      string    `json:"sort_code,omitempty"`
	AccountNumber string    `json:"account_number_masked,omitempty"`
	SetAt         time.Time `json:"set_at,omitzero"`
	SetBy         string    `json:"set_by,omitempty"`
	// Held says a payout now would skip them; PayoutsHeldUntil is when that ends.
	Held             bool      `json:"held"`
	PayoutsHeldUntil time.Time `json:"payouts_held_until,omitzero"`
	Message          string    `json:"message"`
}

// PayeeBankDetails is a clinician's bank details as they are now, from their account's
// history (not a read model: what the next payout run will use).
func (a *App) PayeeBankDetails(ctx context.Context, call Call, accountID string) (PayeeDetails, error) {
	return run(ctx, a, call, readPayeeNow, func(ctx context.Context, r *Request) (PayeeDetails, error) {
		s, _, err := load(ctx, a, r, accountAggregate, account.StreamID(accountID))
		if err != nil {
			return PayeeDetails{}, err
		}
		if !s.Registered() {
			return PayeeDetails{}, fmt.Errorf("%w: %s", account.ErrAccountNotFound, accountID)
		}
		out := PayeeDetails{AccountID: accountID, Message: "no bank details: payouts skip this clinician until they enter them"}
		if s.Payee == nil {
			return out, nil
		}
		until, held := s.PayeeHeld(r.Now, a.cfg.PayeeCoolingOff)
		out = PayeeDetails{AccountID: accountID, Set: true, AccountName: s.Payee.AccountName, SortCode: contact.FormatSortCode(s.Payee.SortCode),
			AccountNumber: contact.MaskedAccountNumber(s.Payee.AccountNumber), SetAt: s.PayeeSetAt, SetBy: s.PayeeSetBy,
			Held: held, PayoutsHeldUntil: until, Message: "payouts go to these details"}
		if held {
			out.Message = "these details were set recently: no payout goes to them before " +
				until.In(ledger.London).Format("2 Jan 2006 15:04 MST") + " (a cooling-off period against payment fraud)"
		}
		return out, nil
	})
}
