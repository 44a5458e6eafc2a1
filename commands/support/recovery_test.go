package support_test

import (
	"errors"
	"strings"
	"testing"

	"ledgerdesk/commands/support"
	"ledgerdesk/commands/support/supporttest"
	"ledgerdesk/domain/account"
)

func TestRecoveryCodesAreShownOnceKeptAsHashesAndEachSignsInOnce(t *testing.T) {
	t.Parallel()
	env := supporttest.New(t)
	p := cast(t, env)
	before := events(t, env)
	_, err := env.Service.IssueRecoveryCodes(ctx, p.patient, supporttest.Meta(p.patient))
	refused(t, env, before, err, account.ErrTwoFactorNotEnabled)
	if err := supporttest.EnrolTwoFactor(ctx, env, p.patient); err != nil {
		t.Fatal(err)
	}
	_, err = env.Service.IssueRecoveryCodes(ctx, p.patient, supporttest.Meta(p.stranger))
	if !errors.Is(err, account.ErrNotAccountOwner) {
		t.Fatalf("another's codes: %v", err)
	}
	meta := supporttest.Meta(p.patient)
	codes, err := env.Service.IssueRecoveryCodes(ctx, p.patient, meta)
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) != account.RecoveryCodeCount {
		t.Fatalf("%d codes", len(codes))
	}
	again, err := env.Service.IssueRecoveryCodes(ctx, p.patient, meta)
	if err != nil || strings.Join(again, ",") != strings.Join(codes, ",") {
		t.Fatalf("a retry gave other codes (%v)", err)
	}
	for _, c := range codes {
		noEventContains(t, env, c)
		noEventContains(t, env, strings.ReplaceAll(c, "-", ""))
	}

	login := support.Login{Realm: account.RealmPortal, Email: "jo@example.co.uk", Password: strongPassword, Code: strings.ToUpper(codes[2])}
	if id, err := env.Service.Authenticate(ctx, login); err != nil || id != p.patient {
		t.Fatalf("signing in with a recovery code: %q %v", id, err)
	}
	if _, err := env.Service.Authenticate(ctx, login); !errors.Is(err, support.ErrWrongCode) || !errors.Is(err, account.ErrRecoveryCodeUsed) {
		t.Fatalf("the same recovery code twice: %v", err)
	}
	login.Code = "zzzz-zzzz-zzzz"
	if _, err := env.Service.Authenticate(ctx, login); !errors.Is(err, support.ErrWrongCode) {
		t.Fatalf("a made-up recovery code: %v", err)
	}
	login.Code, login.Password = codes[3], "not the password"
	if _, err := env.Service.Authenticate(ctx, login); !errors.Is(err, support.ErrInvalidCredentials) {
		t.Fatalf("a recovery code with a wrong password: %v", err)
	}
	a, err := env.Service.Account(ctx, p.patient)
	if err != nil {
		t.Fatal(err)
	}
	if n := a.RecoveryCodesLeft(); n != account.RecoveryCodeCount-1 {
		t.Errorf("%d codes left, want %d", n, account.RecoveryCodeCount-1)
	}
}
