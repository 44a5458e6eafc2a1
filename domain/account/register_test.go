package account_test

import (
	"testing"
	"time"

	"ledgerdesk/domain/account"
	"ledgerdesk/domain/contact"
)

func TestRegisterNormalisesEmailAndSetsThePassword(t *testing.T) {
	spec().When(account.Register{
		AccountID: acct, Realm: account.RealmSupport, Role: account.RoleRequester,
		Email: " Jo.Bloggs@Example.CO.UK", Name: " Jo  Bloggs ", Password: goodPw, At: t0,
	}).Then(t,
		account.Registered{AccountID: acct, Realm: account.RealmSupport, Role: account.RoleRequester, Email: "jo.bloggs@example.co.uk", Name: "Jo Bloggs", At: t0},
		account.PasswordSet{AccountID: acct, At: t0},
	)
}

func TestRegisterWithoutPasswordLeavesItToAResetLink(t *testing.T) {
	spec().When(account.Register{AccountID: acct, Realm: account.RealmPortal, Role: account.RoleClinician, Email: "dr@example.com", Name: "Dr Who", At: t0}).
		Then(t, account.Registered{AccountID: acct, Realm: account.RealmPortal, Role: account.RoleClinician, Email: "dr@example.com", Name: "Dr Who", At: t0})
}

func TestRegisterRejections(t *testing.T) {
	ok := account.Register{AccountID: acct, Realm: account.RealmPortal, Role: account.RolePatient, Email: "jo@example.com", Name: "Jo", Password: goodPw, At: t0}
	for name, c := range map[string]struct {
		mutate func(*account.Register)
		want   error
	}{
		"no id":                   {func(r *account.Register) { r.AccountID = "" }, account.ErrInvalidInput},
		"id with spaces":          {func(r *account.Register) { r.AccountID = "a b" }, account.ErrInvalidInput},
		"no time":                 {func(r *account.Register) { r.At = time.Time{} }, account.ErrInvalidInput},
		"unknown realm":           {func(r *account.Register) { r.Realm = "intranet" }, account.ErrInvalidInput},
		"role from another realm": {func(r *account.Register) { r.Role = account.RoleAgent }, account.ErrInvalidInput},
		"bad email":               {func(r *account.Register) { r.Email = "Jo <jo@example.com>" }, contact.ErrInvalidEmail},
		"bad name":                {func(r *account.Register) { r.Name = "\u202e" }, contact.ErrInvalidName},
		"weak password":           {func(r *account.Register) { r.Password = "short" }, account.ErrWeakPassword},
	} {
		t.Run(name, func(t *testing.T) {
			cmd := ok
			c.mutate(&cmd)
			spec().When(cmd).ThenError(t, c.want)
		})
	}
	spec().Given(patient).When(ok).ThenError(t, account.ErrAlreadyRegistered)
}

func TestEveryOtherCommandNeedsARegisteredAccount(t *testing.T) {
	for _, c := range []account.Command{
		account.UpdateProfile{AccountID: acct, Name: "Jo", Email: "jo@example.com", At: t0},
		account.ChangePassword{AccountID: acct, NewPassword: goodPw, At: t0},
		account.RequestPasswordReset{AccountID: acct, TokenHash: hashA, At: t0},
		account.EnrolTwoFactor{AccountID: acct, SecretRef: "s", At: t0},
		account.BlockIP{AccountID: acct, IP: "203.0.113.7", By: agent, At: t0},
		account.StartLogInAs{AccountID: acct, GrantID: grant, AgentID: agent, At: t0},
	} {
		spec().When(c).ThenError(t, account.ErrAccountNotFound)
	}
}

func TestACommandForAnotherAccountIsRefused(t *testing.T) {
	spec().Given(patient).When(account.ChangePassword{AccountID: "someone-else", NewPassword: goodPw, At: t0}).ThenError(t, account.ErrInvalidInput)
}

type bogus struct{ account.Command }

func TestUnknownCommandIsRefusedWithoutPanic(t *testing.T) {
	spec().When(bogus{}).ThenError(t, account.ErrUnknownCommand)
	spec().When(account.Command(nil)).ThenError(t, account.ErrUnknownCommand)
}

func TestSameEmailInTheTwoRealmsClaimsDifferentStreams(t *testing.T) {
	portal := account.EmailReservationStream(account.RealmPortal, "jo@example.com")
	support := account.EmailReservationStream(account.RealmSupport, "jo@example.com")
	if portal == support {
		t.Fatal("portal and support share a reservation stream")
	}
	if portal != account.EmailReservationStream(account.RealmPortal, "jo@example.com") {
		t.Fatal("reservation stream is not deterministic")
	}
	if len(portal) != len("emailclaim-")+64 || portal[:11] != "emailclaim-" {
		t.Fatalf("stream name %q", portal)
	}
	if account.EmailReservationStream(account.RealmPortal, "al@example.com") == portal {
		t.Fatal("different emails share a stream")
	}
}
