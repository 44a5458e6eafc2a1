package support_test

import (
	"errors"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	support "ledgerdesk/commands/support"
	"ledgerdesk/commands/support/supporttest"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/ticket"
)

func TestSignInChecksThePasswordAndTellsNothingAboutUnknownEmails(t *testing.T) {
	t.Parallel()
	env := supporttest.New(t)
	p := cast(t, env)
	login := support.Login{Realm: account.RealmSupport, Email: "jo@example.co.uk", Password: strongPassword}
	if id, err := env.Service.Authenticate(ctx, login); err != nil || id != p.requester {
		t.Fatalf("Authenticate = %s, %v", id, err)
	}
	portal := login
	portal.Realm = account.RealmPortal
	if id, err := env.Service.Authenticate(ctx, portal); err != nil || id != p.patient {
		t.Fatalf("the same email on the portal = %s, %v; want the portal account", id, err)
	}
	for name, l := range map[string]support.Login{
		"wrong password":     {Realm: account.RealmSupport, Email: "jo@example.co.uk", Password: "not the password"},
		"unknown email":      {Realm: account.RealmSupport, Email: "nobody@example.co.uk", Password: strongPassword},
		"account without pw": {Realm: account.RealmSupport, Email: "sam@practice.example", Password: strongPassword},
	} {
		if _, err := env.Service.Authenticate(ctx, l); !errors.Is(err, support.ErrInvalidCredentials) {
			t.Errorf("%s: %v, want ErrInvalidCredentials", name, err)
		}
	}
}

func TestTwoFactorEnrolsWithAValidCodeAndEachCodeWorksOnce(t *testing.T) {
	t.Parallel()
	env := supporttest.New(t)
	p := cast(t, env)
	before := events(t, env)
	_, err := env.Service.BeginTwoFactor(ctx, p.patient, supporttest.Meta(p.stranger))
	refused(t, env, before, err, account.ErrNotAccountOwner)
	meta := supporttest.Meta(p.patient)
	enrol, err := env.Service.BeginTwoFactor(ctx, p.patient, meta)
	if err != nil {
		t.Fatal(err)
	}
	again, err := env.Service.BeginTwoFactor(ctx, p.patient, meta)
	if err != nil || again != enrol {
		t.Fatalf("a retried set-up gave another secret (%v)", err)
	}
	refused(t, env, before, env.Service.ConfirmTwoFactor(ctx, p.patient, enrol.SecretRef, "000000", supporttest.Meta(p.patient)), support.ErrWrongCode)
	refused(t, env, before, env.Service.ConfirmTwoFactor(ctx, p.patient, "not-a-ref", "000000", supporttest.Meta(p.patient)), support.ErrNoSuchEnrolment)
	code, err := totp.GenerateCode(enrol.Secret, env.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := env.Service.ConfirmTwoFactor(ctx, p.patient, enrol.SecretRef, code, supporttest.Meta(p.patient)); err != nil {
		t.Fatal(err)
	}
	noEventContains(t, env, enrol.Secret)
	var sealed []byte
	if err := env.Pool.QueryRow(ctx, `SELECT sealed FROM support_totp_secrets WHERE ref = $1`, enrol.SecretRef).Scan(&sealed); err != nil || string(sealed) == enrol.Secret {
		t.Fatalf("secret at rest: %v", err)
	}

	login := support.Login{Realm: account.RealmPortal, Email: "jo@example.co.uk", Password: strongPassword}
	if _, err := env.Service.Authenticate(ctx, login); !errors.Is(err, support.ErrTwoFactorRequired) {
		t.Fatalf("no code: %v", err)
	}
	login.Code = code
	if _, err := env.Service.Authenticate(ctx, login); !errors.Is(err, support.ErrWrongCode) {
		t.Fatalf("the enrolment code replayed at sign-in: %v", err)
	}
	env.Clock.Advance(30 * time.Second)
	if login.Code, err = totp.GenerateCode(enrol.Secret, env.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	if id, err := env.Service.Authenticate(ctx, login); err != nil || id != p.patient {
		t.Fatalf("fresh code: %s, %v", id, err)
	}
	if _, err := env.Service.Authenticate(ctx, login); !errors.Is(err, support.ErrWrongCode) {
		t.Fatalf("the same code twice: %v", err)
	}
}

func TestAResetLinkWorksOnceWithinAnHourAndOnlyItsHashIsKept(t *testing.T) {
	t.Parallel()
	env := supporttest.New(t)
	p := cast(t, env)
	before := events(t, env)
	if _, found, err := env.Service.RequestPasswordReset(ctx, account.RealmSupport, "nobody@example.com", supporttest.Meta("")); found || err != nil {
		t.Fatalf("unknown email: found=%v err=%v", found, err)
	}
	if events(t, env) != before {
		t.Fatal("a reset for an unknown email appended events")
	}
	meta := supporttest.Meta("")
	link, found, err := env.Service.RequestPasswordReset(ctx, account.RealmSupport, "JO@example.co.uk", meta)
	if err != nil || !found || link.AccountID != p.requester || link.Token == "" || !link.ExpiresAt.Equal(env.Clock.Now().Add(time.Hour)) {
		t.Fatalf("link %+v, %v, %v", link, found, err)
	}
	again, _, err := env.Service.RequestPasswordReset(ctx, account.RealmSupport, "jo@example.co.uk", meta)
	if err != nil || again.Token != link.Token {
		t.Fatalf("a retried request gave a different link (%v)", err)
	}
	noEventContains(t, env, link.Token)

	next := "my brand new passphrase"
	before = events(t, env)
	refused(t, env, before, env.Service.CompletePasswordReset(ctx, p.requester, "made-up-token", next, supporttest.Meta("")), account.ErrResetTokenInvalid)
	refused(t, env, before, env.Service.CompletePasswordReset(ctx, p.requester, link.Token, "short", supporttest.Meta("")), account.ErrWeakPassword)
	if err := env.Service.CompletePasswordReset(ctx, p.requester, link.Token, next, supporttest.Meta("")); err != nil {
		t.Fatal(err)
	}
	before = events(t, env)
	refused(t, env, before, env.Service.CompletePasswordReset(ctx, p.requester, link.Token, "yet another passphrase", supporttest.Meta("")), account.ErrResetTokenUsed)
	if _, err := env.Service.Authenticate(ctx, support.Login{Realm: account.RealmSupport, Email: "jo@example.co.uk", Password: next}); err != nil {
		t.Fatalf("the new password: %v", err)
	}

	late, _, err := env.Service.RequestPasswordReset(ctx, account.RealmSupport, "jo@example.co.uk", supporttest.Meta(""))
	if err != nil {
		t.Fatal(err)
	}
	env.Clock.Advance(time.Hour)
	before = events(t, env)
	refused(t, env, before, env.Service.CompletePasswordReset(ctx, p.requester, late.Token, "yet another passphrase", supporttest.Meta("")), account.ErrResetTokenExpired)
}

func TestITSupportActsOnAnAccountOnlyUnderAnActiveGrant(t *testing.T) {
	t.Parallel()
	env := supporttest.New(t)
	p := cast(t, env)
	next := "support chose this passphrase"
	before := events(t, env)
	refused(t, env, before, env.Service.ChangePasswordAsSupport(ctx, p.patient, "", next, supporttest.Meta(p.agent)), account.ErrNoActiveGrant)
	_, err := env.Service.GrantSupportAccess(ctx, support.Grant{AccountID: p.patient, Scopes: []account.Scope{account.ScopeChangePassword}, ExpiresAt: env.Clock.Now().Add(time.Hour)}, supporttest.Meta(p.agent))
	refused(t, env, before, err, account.ErrNotAccountOwner)
	_, err = env.Service.GrantSupportAccess(ctx, support.Grant{AccountID: p.patient, Scopes: []account.Scope{account.ScopeChangePassword}, ExpiresAt: env.Clock.Now().Add(100 * time.Hour)}, supporttest.Meta(p.patient))
	refused(t, env, before, err, account.ErrGrantTooLong)

	grant, err := env.Service.GrantSupportAccess(ctx, support.Grant{AccountID: p.patient, Scopes: []account.Scope{account.ScopeChangePassword}, ExpiresAt: env.Clock.Now().Add(2 * time.Hour)}, supporttest.Meta(p.patient))
	if err != nil {
		t.Fatal(err)
	}
	before = events(t, env)
	refused(t, env, before, env.Service.ChangePasswordAsSupport(ctx, p.patient, grant, next, supporttest.Meta(p.requester)), ticket.ErrAgentsOnly)
	refused(t, env, before, env.Service.StartLogInAs(ctx, p.patient, grant, supporttest.Meta(p.agent)), account.ErrScopeNotGranted)
	if err := env.Service.ChangePasswordAsSupport(ctx, p.patient, grant, next, supporttest.Meta(p.agent)); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Service.Authenticate(ctx, support.Login{Realm: account.RealmPortal, Email: "jo@example.co.uk", Password: next}); err != nil {
		t.Fatalf("password set by support: %v", err)
	}
	env.Clock.Advance(3 * time.Hour)
	before = events(t, env)
	refused(t, env, before, env.Service.ChangePasswordAsSupport(ctx, p.patient, grant, "and again a passphrase", supporttest.Meta(p.agent)), account.ErrGrantExpired)

	both, err := env.Service.GrantSupportAccess(ctx, support.Grant{AccountID: p.patient, Scopes: []account.Scope{account.ScopeLogInAs, account.ScopeChangePassword}, ExpiresAt: env.Clock.Now().Add(time.Hour)}, supporttest.Meta(p.patient))
	if err != nil {
		t.Fatal(err)
	}
	if err := env.Service.StartLogInAs(ctx, p.patient, both, supporttest.Meta(p.agent)); err != nil {
		t.Fatal(err)
	}
	if err := env.Service.RecordSupportAction(ctx, p.patient, both, "opened the video settings page", supporttest.Meta(p.agent)); err != nil {
		t.Fatal(err)
	}
	before = events(t, env)
	refused(t, env, before, env.Service.RevokeSupportAccess(ctx, p.patient, both, supporttest.Meta(p.stranger)), account.ErrNotAccountOwner)
	if err := env.Service.RevokeSupportAccess(ctx, p.patient, both, supporttest.Meta(p.patient)); err != nil {
		t.Fatal(err)
	}
	before = events(t, env)
	refused(t, env, before, env.Service.RecordSupportAction(ctx, p.patient, both, "anything", supporttest.Meta(p.agent)), account.ErrNoActiveGrant)
}
