package support_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	support "ledgerdesk/commands/support"
	"ledgerdesk/commands/support/supporttest"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/contact"
	"ledgerdesk/domain/modulus"
)

// clinicianWithTwoFactor registers a clinician with a password and two-factor on, and
// returns a function giving the next fresh authenticator code (moving the clock on a step).
func clinicianWithTwoFactor(t *testing.T, env *supporttest.Env) (string, func() string) {
	t.Helper()
	id := env.Register(t, account.RealmPortal, account.RoleClinician, "dr.okafor@clinicians.example", "Dr Aisha Okafor", strongPassword)
	enrol, err := env.Service.BeginTwoFactor(ctx, id, supporttest.Meta(id))
	if err != nil {
		t.Fatal(err)
	}
	code := func() string {
		t.Helper()
		env.Clock.Advance(30 * time.Second)
		c, err := totp.GenerateCode(enrol.Secret, env.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if err := env.Service.ConfirmTwoFactor(ctx, id, enrol.SecretRef, code(), supporttest.Meta(id)); err != nil {
		t.Fatal(err)
	}
	return id, code
}

func payee(id, password, code string) support.PayeeChange {
	return support.PayeeChange{AccountID: id, AccountName: "Dr Aisha Okafor", SortCode: "40-12-76", AccountNumber: "12345678", Password: password, Code: code}
}

func TestAClinicianSetsBankDetailsWithTheirPasswordAndCodeAgain(t *testing.T) {
	t.Parallel()
	env := supporttest.New(t)
	id, code := clinicianWithTwoFactor(t, env)
	res, err := env.Service.ChangePayeeBankDetails(ctx, payee(id, strongPassword, code()), supporttest.Meta(id))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Changed || res.Modulus.Outcome != modulus.NotChecked || res.Details.SortCode != "401276" || !res.SetAt.Equal(env.Clock.Now()) {
		t.Fatalf("result %+v", res)
	}
	a, err := env.Service.Account(ctx, id)
	if err != nil || a.Payee == nil || a.PayeeSetBy != id {
		t.Fatalf("account after: %+v, %v", a, err)
	}
	// The same details again: nothing to confirm, nothing recorded (a retried request).
	before := events(t, env)
	if res, err := env.Service.ChangePayeeBankDetails(ctx, payee(id, "", ""), supporttest.Meta(id)); err != nil || res.Changed {
		t.Fatalf("unchanged details: %+v, %v", res, err)
	}
	if events(t, env) != before {
		t.Fatal("unchanged details were recorded again")
	}
	// A change replaces them, re-authenticated, and says it replaced something.
	change := payee(id, strongPassword, code())
	change.AccountNumber = "87654321"
	if _, err := env.Service.ChangePayeeBankDetails(ctx, change, supporttest.Meta(id)); err != nil {
		t.Fatal(err)
	}
	noEventContains(t, env, "87654321", strongPassword)
	a, _ = env.Service.Account(ctx, id)
	if a.Payee.AccountNumber != "87654321" {
		t.Fatalf("payee after the change: %+v", a.Payee)
	}
}

func TestABankDetailsChangeIsRefusedWithoutTheRightSecretsAndWritesNothing(t *testing.T) {
	t.Parallel()
	env := supporttest.New(t)
	id, code := clinicianWithTwoFactor(t, env)
	stranger := env.Register(t, account.RealmPortal, account.RoleClinician, "eve@clinicians.example", "Eve Other", strongPassword)
	noTwoFactor := env.Register(t, account.RealmPortal, account.RoleClinician, "sam@clinicians.example", "Sam Lee", strongPassword)
	before := events(t, env)
	fresh := code()

	_, err := env.Service.ChangePayeeBankDetails(ctx, payee(id, "not the password", fresh), supporttest.Meta(id))
	refused(t, env, before, err, support.ErrWrongPassword)
	_, err = env.Service.ChangePayeeBankDetails(ctx, payee(id, strongPassword, ""), supporttest.Meta(id))
	refused(t, env, before, err, support.ErrTwoFactorRequired)
	_, err = env.Service.ChangePayeeBankDetails(ctx, payee(id, strongPassword, "000000"), supporttest.Meta(id))
	refused(t, env, before, err, support.ErrWrongCode)
	_, err = env.Service.ChangePayeeBankDetails(ctx, payee(id, strongPassword, fresh), supporttest.Meta(stranger))
	refused(t, env, before, err, account.ErrNotAccountOwner)
	_, err = env.Service.ChangePayeeBankDetails(ctx, payee(noTwoFactor, strongPassword, "123456"), supporttest.Meta(noTwoFactor))
	refused(t, env, before, err, support.ErrTwoFactorNeeded)
	for field, bad := range map[string]func(*support.PayeeChange){
		"account_name":   func(c *support.PayeeChange) { c.AccountName = "" },
		"sort_code":      func(c *support.PayeeChange) { c.SortCode = "40-12-7" },
		"account_number": func(c *support.PayeeChange) { c.AccountNumber = "1234567" },
	} {
		c := payee(id, strongPassword, fresh)
		bad(&c)
		_, err := env.Service.ChangePayeeBankDetails(ctx, c, supporttest.Meta(id))
		refused(t, env, before, err, account.ErrInvalidInput)
		var fe *contact.FieldError
		if !errors.As(err, &fe) || fe.Field != field {
			t.Errorf("bad %s: %v names the wrong field", field, err)
		}
	}
	// None of the refusals used up the code.
	if _, err := env.Service.ChangePayeeBankDetails(ctx, payee(id, strongPassword, fresh), supporttest.Meta(id)); err != nil {
		t.Fatalf("the code after the refusals: %v", err)
	}
}

func TestBankDetailsThatFailTheDeploymentsModulusTableAreRefused(t *testing.T) {
	t.Parallel()
	env := supporttest.New(t)
	id, code := clinicianWithTwoFactor(t, env)
	// A fixture row, not Vocalink's: every digit weighs 1, so the fourteen digits must sum
	// to a multiple of 10. 4+0+1+2+7+6 + 1+2+3+4+5+6+7+8 = 56 fails; …7 in place of 8 is 55,
	// also fails; 12345672 sums to 50 and passes.
	table, err := modulus.ParseTable("400000 409999 MOD10 1 1 1 1 1 1 1 1 1 1 1 1 1 1")
	if err != nil {
		t.Fatal(err)
	}
	svc, err := support.New(support.Config{Deps: env.Deps, DB: env.Pool, Attachments: env.Files, SecretKey: env.SecretKey, Now: env.Clock.Now, Modulus: table})
	if err != nil {
		t.Fatal(err)
	}
	before := events(t, env)
	fresh := code()
	_, err = svc.ChangePayeeBankDetails(ctx, payee(id, strongPassword, fresh), supporttest.Meta(id))
	refused(t, env, before, err, account.ErrInvalidInput)
	if !strings.Contains(err.Error(), "field account_number") || !strings.Contains(err.Error(), "MOD10") {
		t.Fatalf("the modulus refusal names no field or check: %v", err)
	}
	ok := payee(id, strongPassword, fresh)
	ok.AccountNumber = "12345672"
	res, err := svc.ChangePayeeBankDetails(ctx, ok, supporttest.Meta(id))
	if err != nil || res.Modulus.Outcome != modulus.Passed {
		t.Fatalf("passing details: %+v, %v", res, err)
	}
}
