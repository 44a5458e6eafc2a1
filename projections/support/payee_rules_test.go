package support_test

import (
	"testing"

	"ledgerdesk/domain/account"
	"ledgerdesk/domain/modulus"
	readmodel "ledgerdesk/projections/support"
)

func TestEveryBankDetailsChangeIsListedWithWhoAndWhenNewestFirst(t *testing.T) {
	t.Parallel()
	s := accountsSpec(t)
	s.Given(account.StreamID("a1"), registered("a1", account.RealmPortal, account.RoleClinician, "jo@example.co.uk"),
		account.PayeeBankDetailsSet{AccountID: "a1", AccountName: "Dr Jo Bloggs", SortCode: "401276", AccountNumber: "12345678", By: "admin-1", At: at(1)},
		account.PayeeBankDetailsSet{AccountID: "a1", AccountName: "Dr Jo Bloggs", SortCode: "112233", AccountNumber: "87654321", By: "a1",
			Reauthenticated: true, Replaced: true, Modulus: modulus.Passed, ModulusReason: "passes", At: at(3)})
	recs := s.Given(account.StreamID("b1"), registered("b1", account.RealmPortal, account.RoleClinician, "sam@example.co.uk"),
		account.PayeeBankDetailsSet{AccountID: "b1", AccountName: "Dr Sam Lee", SortCode: "309634", AccountNumber: "11112222", By: "b1",
			Reauthenticated: true, At: at(2)})
	s.Apply(recs[1]) // delivered twice: listed once

	all, err := readmodel.PayeeChanges(s.Ctx, s.DB, "", 0)
	s.Must(err)
	if len(all) != 3 || all[0].AccountID != "a1" || all[1].AccountID != "b1" || all[2].AccountID != "a1" {
		t.Fatalf("all changes = %+v, want a1's change, b1's, a1's first setting", all)
	}
	got := all[0]
	if got.By != "a1" || !got.At.Equal(at(3)) || !got.Reauthenticated || !got.Replaced || got.SortCode != "11-22-33" ||
		got.AccountNumber != "****4321" || got.Modulus != modulus.Passed {
		t.Fatalf("the change = %+v", got)
	}
	// An event from before the modulus check existed reads as not checked.
	if first := all[2]; first.By != "admin-1" || first.Replaced || first.Modulus != modulus.NotChecked {
		t.Fatalf("the first setting = %+v", first)
	}
	one, err := readmodel.PayeeChanges(s.Ctx, s.DB, "b1", 10)
	s.Must(err)
	if len(one) != 1 || one[0].AccountID != "b1" {
		t.Fatalf("b1's changes = %+v", one)
	}
	latest, err := readmodel.PayeeChanges(s.Ctx, s.DB, "", 1)
	s.Must(err)
	if len(latest) != 1 || !latest[0].At.Equal(at(3)) {
		t.Fatalf("limit 1 = %+v", latest)
	}
}
