package account_test

import (
	"strings"
	"testing"
	"time"

	"ledgerdesk/domain/account"
	"ledgerdesk/domain/contact"
	"ledgerdesk/domain/modulus"
)

func TestUpdateProfileValidatesAndNormalises(t *testing.T) {
	spec().Given(patient).When(account.UpdateProfile{AccountID: acct, Name: "Jo Smith", Email: "JO@new.example.com", Phone: "07700 900123", At: at(1)}).
		Then(t, account.ProfileUpdated{AccountID: acct, Name: "Jo Smith", Email: "jo@new.example.com", Phone: "+447700900123", At: at(1)})
}

func TestUpdateProfileWithNothingChangedIsANoOp(t *testing.T) {
	spec().Given(patient).When(account.UpdateProfile{AccountID: acct, Name: "Jo Bloggs", Email: "Jo.Bloggs@example.co.uk", At: at(1)}).Then(t)
}

func TestUpdateProfileRejections(t *testing.T) {
	for name, c := range map[string]struct {
		cmd  account.UpdateProfile
		want error
	}{
		"bad name":  {account.UpdateProfile{AccountID: acct, Name: "", Email: "jo@example.com", At: at(1)}, contact.ErrInvalidName},
		"bad email": {account.UpdateProfile{AccountID: acct, Name: "Jo", Email: "jo@", At: at(1)}, contact.ErrInvalidEmail},
		"bad phone": {account.UpdateProfile{AccountID: acct, Name: "Jo", Email: "jo@example.com", Phone: "+1 202 555 0100", At: at(1)}, contact.ErrInvalidPhone},
	} {
		t.Run(name, func(t *testing.T) {
			spec().Given(patient).When(c.cmd).ThenError(t, c.want)
			spec().Given(patient).When(c.cmd).ThenError(t, account.ErrInvalidInput)
		})
	}
}

func TestSetPostalAddress(t *testing.T) {
	a := contact.Address{Line1: "10 Downing Street", Town: "London", Postcode: "sw1a2aa"}
	spec().Given(patient).When(account.SetPostalAddress{AccountID: acct, Address: a, At: at(1)}).
		Then(t, account.PostalAddressSet{AccountID: acct, Line1: "10 Downing Street", Town: "London", Postcode: "SW1A 2AA", At: at(1)})
	spec().Given(patient, account.PostalAddressSet{AccountID: acct, Line1: "10 Downing Street", Town: "London", Postcode: "SW1A 2AA", At: at(1)}).
		When(account.SetPostalAddress{AccountID: acct, Address: a, At: at(2)}).Then(t)
	spec().Given(patient).When(account.SetPostalAddress{AccountID: acct, Address: contact.Address{Line1: "x", Town: "y", Postcode: "nope"}, At: at(1)}).
		ThenError(t, contact.ErrInvalidPostcode)
}

const staff = "admin-1"

func payeeSet(name, sortCode, number, by string, at time.Time) account.PayeeBankDetailsSet {
	return account.PayeeBankDetailsSet{AccountID: acct, AccountName: name, SortCode: sortCode, AccountNumber: number, By: by,
		Modulus: modulus.NotChecked, ModulusReason: "could not be checked: no modulus check was run", At: at}
}

func TestPayeeBankDetailsAreForCliniciansOnly(t *testing.T) {
	cmd := account.SetPayeeBankDetails{AccountID: acct, AccountName: "Dr J Bloggs", SortCode: "12-34-56", AccountNumber: "12345678", By: staff, At: at(1)}
	spec().Given(registered(account.RoleClinician)).When(cmd).
		Then(t, payeeSet("Dr J Bloggs", "123456", "12345678", staff, at(1)))
	spec().Given(patient).When(cmd).ThenError(t, account.ErrNotAClinician)
	// The same details again change nothing, and need no re-authentication.
	spec().Given(registered(account.RoleClinician), payeeSet("Dr J Bloggs", "123456", "12345678", staff, at(1))).
		When(cmd).Then(t)
}

func TestChangingBankDetailsNeedsTheHolderReauthenticated(t *testing.T) {
	first := payeeSet("Dr J Bloggs", "123456", "12345678", staff, at(1))
	change := account.SetPayeeBankDetails{AccountID: acct, AccountName: "Dr J Bloggs", SortCode: "65-43-21", AccountNumber: "87654321",
		By: acct, At: at(2)}
	spec().Given(registered(account.RoleClinician), first).When(change).ThenError(t, account.ErrReauthenticationRequired)
	byStaff := change
	byStaff.By, byStaff.Reauthenticated = staff, true
	spec().Given(registered(account.RoleClinician), first).When(byStaff).ThenError(t, account.ErrReauthenticationRequired)
	change.Reauthenticated = true
	change.Modulus = modulus.Result{Outcome: modulus.Passed, Reason: "fine"}
	spec().Given(registered(account.RoleClinician), first).When(change).
		Then(t, account.PayeeBankDetailsSet{AccountID: acct, AccountName: "Dr J Bloggs", SortCode: "654321", AccountNumber: "87654321",
			By: acct, Reauthenticated: true, Replaced: true, Modulus: modulus.Passed, ModulusReason: "fine", At: at(2)})
}

func TestBankDetailsThatFailTheModulusCheckAreRefused(t *testing.T) {
	cmd := account.SetPayeeBankDetails{AccountID: acct, AccountName: "Dr J Bloggs", SortCode: "12-34-56", AccountNumber: "12345678", By: acct,
		Reauthenticated: true, Modulus: modulus.Result{Outcome: modulus.Failed, Reason: "the only MOD11 check fails"}, At: at(1)}
	spec().Given(registered(account.RoleClinician)).When(cmd).ThenError(t, account.ErrInvalidInput)
	_, err := account.Decide(account.Decider.Fold([]account.Event{registered(account.RoleClinician)}), cmd)
	if err == nil || !strings.Contains(err.Error(), "field account_number") || !strings.Contains(err.Error(), "MOD11") {
		t.Fatalf("error names no field or reason: %v", err)
	}
}

func TestPayeeBankDetailsRejections(t *testing.T) {
	ok := account.SetPayeeBankDetails{AccountID: acct, AccountName: "Dr J Bloggs", SortCode: "12-34-56", AccountNumber: "12345678", By: acct, At: at(1)}
	for name, c := range map[string]struct {
		mutate func(*account.SetPayeeBankDetails)
		want   error
	}{
		"no name":        {func(c *account.SetPayeeBankDetails) { c.AccountName = " " }, contact.ErrInvalidName},
		"bad sort code":  {func(c *account.SetPayeeBankDetails) { c.SortCode = "12-34-5" }, contact.ErrInvalidSortCode},
		"bad account no": {func(c *account.SetPayeeBankDetails) { c.AccountNumber = "1234567" }, contact.ErrInvalidAccountNumber},
		"nobody named":   {func(c *account.SetPayeeBankDetails) { c.By = "" }, account.ErrInvalidInput},
	} {
		t.Run(name, func(t *testing.T) {
			cmd := ok
			c.mutate(&cmd)
			spec().Given(registered(account.RoleClinician)).When(cmd).ThenError(t, c.want)
		})
	}
}

func TestPayoutsToNewBankDetailsWaitOutTheCoolingOffPeriod(t *testing.T) {
	s := account.Decider.Fold([]account.Event{registered(account.RoleClinician)})
	if _, held := s.PayeeHeld(at(1000*time.Hour), 0); held {
		t.Fatal("no bank details, yet a hold")
	}
	s = account.Evolve(s, payeeSet("Dr J Bloggs", "123456", "12345678", acct, at(0)))
	for _, c := range []struct {
		at         time.Time
		coolingOff time.Duration
		held       bool
	}{
		{at(time.Hour), 0, true},
		{at(account.DefaultPayeeCoolingOff - time.Second), 0, true},
		{at(account.DefaultPayeeCoolingOff), 0, false},
		{at(account.DefaultPayeeCoolingOff), 5 * 24 * time.Hour, true},
		{at(5 * 24 * time.Hour), 5 * 24 * time.Hour, false},
		{at(-time.Hour), 0, true}, // a payout dated before the change cannot use it either
	} {
		until, held := s.PayeeHeld(c.at, c.coolingOff)
		if held != c.held || (held && !until.After(c.at)) {
			t.Errorf("at %s, cooling-off %s: held=%v until %s, want held=%v", c.at, c.coolingOff, held, until, c.held)
		}
	}
}

func TestBlockAndUnblockIP(t *testing.T) {
	blocked := account.IPBlocked{AccountID: acct, IP: "2001:db8::1", By: agent, At: at(1)}
	spec().Given(patient).When(account.BlockIP{AccountID: acct, IP: "2001:DB8:0::1", By: agent, At: at(1)}).Then(t, blocked)
	spec().Given(patient, blocked).When(account.BlockIP{AccountID: acct, IP: "2001:db8::1", By: agent, At: at(2)}).ThenError(t, account.ErrIPAlreadyBlocked)
	spec().Given(patient, blocked).When(account.UnblockIP{AccountID: acct, IP: "2001:db8::1", By: agent, TicketID: ticketID, At: at(2)}).
		Then(t, account.IPUnblocked{AccountID: acct, IP: "2001:db8::1", By: agent, TicketID: ticketID, At: at(2)})
	spec().Given(patient).When(account.UnblockIP{AccountID: acct, IP: "203.0.113.7", By: agent, At: at(2)}).ThenError(t, account.ErrIPNotBlocked)
	spec().Given(patient).When(account.BlockIP{AccountID: acct, IP: "fe80::1%eth0", By: agent, At: at(1)}).ThenError(t, contact.ErrInvalidIP)
	spec().Given(patient).When(account.BlockIP{AccountID: acct, IP: "203.0.113.7", At: at(1)}).ThenError(t, account.ErrInvalidInput)
}
