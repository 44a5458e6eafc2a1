package contact_test

import (
	"errors"
	"testing"

	"ledgerdesk/domain/contact"
)

func TestBankDetailsNormaliseAndNameTheWrongField(t *testing.T) {
	t.Parallel()
	got, err := contact.ParseBankDetails(contact.BankDetails{AccountName: "  Dr  Jo Bloggs ", SortCode: "40-12-76", AccountNumber: " 12345678"})
	if err != nil || got != (contact.BankDetails{AccountName: "Dr Jo Bloggs", SortCode: "401276", AccountNumber: "12345678"}) {
		t.Fatalf("ParseBankDetails = %+v, %v", got, err)
	}
	good := contact.BankDetails{AccountName: "Jo Bloggs", SortCode: "401276", AccountNumber: "12345678"}
	for _, c := range []struct {
		name  string
		edit  func(*contact.BankDetails)
		field string
		kind  error
	}{
		{"no name", func(b *contact.BankDetails) { b.AccountName = " " }, "account_name", contact.ErrInvalidName},
		{"a name without letters", func(b *contact.BankDetails) { b.AccountName = "12" }, "account_name", contact.ErrInvalidName},
		{"five-digit sort code", func(b *contact.BankDetails) { b.SortCode = "40127" }, "sort_code", contact.ErrInvalidSortCode},
		{"no sort code", func(b *contact.BankDetails) { b.SortCode = "" }, "sort_code", contact.ErrInvalidSortCode},
		{"seven-digit account", func(b *contact.BankDetails) { b.AccountNumber = "1234567" }, "account_number", contact.ErrInvalidAccountNumber},
		{"letters in the account", func(b *contact.BankDetails) { b.AccountNumber = "1234567O" }, "account_number", contact.ErrInvalidAccountNumber},
	} {
		b := good
		c.edit(&b)
		_, err := contact.ParseBankDetails(b)
		var fe *contact.FieldError
		if !errors.As(err, &fe) || fe.Field != c.field || !errors.Is(err, c.kind) || !errors.Is(err, contact.ErrInvalid) {
			t.Errorf("%s: %v, want a %v on field %s", c.name, err, c.kind, c.field)
		}
	}
}

func TestMaskedAccountNumberShowsOnlyTheLastFourDigits(t *testing.T) {
	t.Parallel()
	if got := contact.MaskedAccountNumber("12345678"); got != "****5678" {
		t.Fatalf("got %q", got)
	}
}

func FuzzParseBankDetailsTogether(f *testing.F) {
	f.Add("Jo Bloggs", "40-12-76", "12345678")
	f.Add("", "", "")
	f.Add("\u202eJo", "401276", "1234567")
	f.Fuzz(func(t *testing.T, name, sortCode, number string) {
		got, err := contact.ParseBankDetails(contact.BankDetails{AccountName: name, SortCode: sortCode, AccountNumber: number})
		if err != nil {
			var fe *contact.FieldError
			if !errors.As(err, &fe) || !errors.Is(err, contact.ErrInvalid) {
				t.Fatalf("error %v is not a *FieldError", err)
			}
			return
		}
		again, err := contact.ParseBankDetails(got)
		if err != nil || again != got || len(got.SortCode) != 6 || len(got.AccountNumber) != 8 {
			t.Fatalf("%+v normalised to %+v, which parses to %+v, %v", name, got, again, err)
		}
	})
}
