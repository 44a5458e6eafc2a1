package support

import (
	"context"
	"errors"
	"fmt"
	"time"

	"ledgerdesk/commands"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/contact"
	"ledgerdesk/domain/modulus"
)

// ErrTwoFactorNeeded says bank details cannot be changed on an account without two-factor:
// the change is confirmed with an authenticator code.
var ErrTwoFactorNeeded = errors.New("set up two-factor authentication before entering bank details")

// PayeeChange is a clinician entering or changing the bank details they are paid into,
// with their password and a fresh authenticator code.
type PayeeChange struct {
	AccountID     string
	AccountName   string
	SortCode      string
	AccountNumber string
	Password      string `json:"-"`
	Code          string `json:"-"`
}

// PayeeResult is what a change did. Changed is false when the details were already these
// (a retry, or an unchanged form): then nothing was checked or recorded.
type PayeeResult struct {
	Changed bool
	Details contact.BankDetails
	Modulus modulus.Result
	// SetAt is when the details now on the account were set (the start of their
	// cooling-off period).
	SetAt time.Time
}

// ChangePayeeBankDetails sets the holder's payee bank details once their password and
// authenticator code check out again. Everything that can be refused without a secret is
// checked first (the holder, the fields, the modulus check), so bad input uses up no code
// and writes nothing; the password is checked before the code, so a wrong password does
// not spend one either.
func (s *Service) ChangePayeeBankDetails(ctx context.Context, c PayeeChange, meta commands.Metadata) (PayeeResult, error) {
	a, err := s.holder(ctx, c.AccountID, meta)
	if err != nil {
		return PayeeResult{}, err
	}
	cmd := account.SetPayeeBankDetails{AccountID: a.ID, AccountName: c.AccountName, SortCode: c.SortCode, AccountNumber: c.AccountNumber,
		By: a.ID, Reauthenticated: true, Modulus: modulus.NoTable, At: s.Now()}
	if b, err := contact.ParseBankDetails(contact.BankDetails{AccountName: c.AccountName, SortCode: c.SortCode, AccountNumber: c.AccountNumber}); err == nil {
		cmd.Modulus = modulus.Check(s.cfg.Modulus, b.SortCode, b.AccountNumber)
	}
	events, err := account.Decide(a, cmd)
	if err != nil {
		return PayeeResult{}, err
	}
	if len(events) == 0 {
		return PayeeResult{Details: *a.Payee, SetAt: a.PayeeSetAt, Modulus: cmd.Modulus}, nil
	}
	if !a.TwoFactorEnabled() {
		return PayeeResult{}, fmt.Errorf("%w: field code: bank details are confirmed with a code from your authenticator app", ErrTwoFactorNeeded)
	}
	ok, err := s.checkPassword(ctx, a.ID, c.Password)
	if err != nil {
		return PayeeResult{}, err
	}
	if !ok {
		return PayeeResult{}, fmt.Errorf("%w: field password", ErrWrongPassword)
	}
	if c.Code == "" {
		return PayeeResult{}, fmt.Errorf("%w: field code", ErrTwoFactorRequired)
	}
	sec, err := s.secret(ctx, a.TwoFactorSecretRef, a.ID)
	if err != nil {
		return PayeeResult{}, err
	}
	if err := s.useCode(ctx, sec, c.Code, false); err != nil {
		return PayeeResult{}, err
	}
	if _, err := s.execAccount(ctx, cmd, meta); err != nil {
		return PayeeResult{}, err
	}
	set := events[0].(account.PayeeBankDetailsSet)
	return PayeeResult{Changed: true, Modulus: cmd.Modulus, SetAt: set.At,
		Details: contact.BankDetails{AccountName: set.AccountName, SortCode: set.SortCode, AccountNumber: set.AccountNumber}}, nil
}
