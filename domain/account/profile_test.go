package account_test

import (
	"testing"

	"ledgerdesk/domain/account"
	"ledgerdesk/domain/contact"
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

func TestPayeeBankDetailsAreForCliniciansOnly(t *testing.T) {
	cmd := account.SetPayeeBankDetails{AccountID: acct, AccountName: "Dr J Bloggs", SortCode: "12-34-56", AccountNumber: "12345678", At: at(1)}
	spec().Given(registered(account.RoleClinician)).When(cmd).
		Then(t, account.PayeeBankDetailsSet{AccountID: acct, AccountName: "Dr J Bloggs", SortCode: "123456", AccountNumber: "12345678", At: at(1)})
	spec().Given(patient).When(cmd).ThenError(t, account.ErrNotAClinician)
	spec().Given(registered(account.RoleClinician), account.PayeeBankDetailsSet{AccountID: acct, AccountName: "Dr J Bloggs", SortCode: "123456", AccountNumber: "12345678", At: at(1)}).
		When(cmd).Then(t)
}

func TestPayeeBankDetailsRejections(t *testing.T) {
	ok := account.SetPayeeBankDetails{AccountID: acct, AccountName: "Dr J Bloggs", SortCode: "12-34-56", AccountNumber: "12345678", At: at(1)}
	for name, c := range map[string]struct {
		mutate func(*account.SetPayeeBankDetails)
		want   error
	}{
		"no name":        {func(c *account.SetPayeeBankDetails) { c.AccountName = " " }, contact.ErrInvalidName},
		"bad sort code":  {func(c *account.SetPayeeBankDetails) { c.SortCode = "12-34-5" }, contact.ErrInvalidSortCode},
		"bad account no": {func(c *account.SetPayeeBankDetails) { c.AccountNumber = "1234567" }, contact.ErrInvalidAccountNumber},
	} {
		t.Run(name, func(t *testing.T) {
			cmd := ok
			c.mutate(&cmd)
			spec().Given(registered(account.RoleClinician)).When(cmd).ThenError(t, c.want)
		})
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
