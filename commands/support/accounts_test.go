package support_test

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"ledgerdesk/commands"
	support "ledgerdesk/commands/support"
	"ledgerdesk/commands/support/supporttest"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/contact"
	"ledgerdesk/domain/ticket"
)

func TestAnEmailRegistersOncePerSiteAndTheTwoSitesAccountsAreDistinct(t *testing.T) {
	t.Parallel()
	env := supporttest.New(t)
	svc := env.Service
	first := env.Register(t, account.RealmSupport, account.RoleRequester, "Jo@Example.co.uk ", "Jo Bloggs", strongPassword)
	portal := env.Register(t, account.RealmPortal, account.RolePatient, "jo@example.co.uk", "Jo Bloggs", strongPassword)
	if first == portal {
		t.Fatal("the support and portal accounts share an id")
	}
	before := events(t, env)
	_, err := svc.Register(ctx, support.Registration{Realm: account.RealmSupport, Role: account.RoleRequester, Email: "JO@example.co.uk", Name: "Jo Imposter", Password: strongPassword}, supporttest.Meta(""))
	refused(t, env, before, err, support.ErrEmailTaken)
	for realm, want := range map[account.Realm]string{account.RealmSupport: first, account.RealmPortal: portal} {
		id, found, err := svc.LookupEmail(ctx, realm, " JO@EXAMPLE.CO.UK")
		if err != nil || !found || id != want {
			t.Fatalf("LookupEmail(%s) = %s, %v, %v; want %s", realm, id, found, err, want)
		}
	}
	if _, found, err := svc.LookupEmail(ctx, account.RealmSupport, "nobody@example.com"); found || err != nil {
		t.Fatalf("unknown email found=%v err=%v", found, err)
	}
}

func TestConcurrentRegistrationsOfOneEmailLetExactlyOneThrough(t *testing.T) {
	t.Parallel()
	env := supporttest.New(t)
	const racers = 6
	var wg sync.WaitGroup
	errs := make([]error, racers)
	for i := range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = env.Service.Register(ctx, support.Registration{Realm: account.RealmSupport, Role: account.RoleRequester, Email: "race@example.com", Name: "Racer"}, supporttest.Meta(""))
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, support.ErrEmailTaken):
			t.Fatalf("unexpected error: %v", err)
		}
	}
	if won != 1 {
		t.Fatalf("%d registrations of one email succeeded, want 1", won)
	}
}

func TestRegistrationRefusesBadDetailsBeforeClaimingTheEmail(t *testing.T) {
	t.Parallel()
	env := supporttest.New(t)
	for name, c := range map[string]struct {
		reg  support.Registration
		want []error
	}{
		"malformed email": {support.Registration{Realm: account.RealmSupport, Role: account.RoleRequester, Email: "jo@@example", Name: "Jo"}, []error{account.ErrInvalidInput, contact.ErrInvalidEmail}},
		"weak password":   {support.Registration{Realm: account.RealmSupport, Role: account.RoleRequester, Email: "jo@example.com", Name: "Jo", Password: "password1234"}, []error{account.ErrWeakPassword}},
		"wrong role":      {support.Registration{Realm: account.RealmPortal, Role: account.RoleAgent, Email: "jo@example.com", Name: "Jo"}, []error{account.ErrInvalidInput}},
		"no name":         {support.Registration{Realm: account.RealmSupport, Role: account.RoleRequester, Email: "jo@example.com"}, []error{account.ErrInvalidInput, contact.ErrInvalidName}},
	} {
		t.Run(name, func(t *testing.T) {
			before := events(t, env)
			_, err := env.Service.Register(ctx, c.reg, supporttest.Meta(""))
			refused(t, env, before, err, c.want...)
		})
	}
	// The address refused above is still free.
	env.Register(t, account.RealmSupport, account.RoleRequester, "jo@example.com", "Jo", strongPassword)
}

func TestARetriedRegistrationRegistersOnce(t *testing.T) {
	t.Parallel()
	env := supporttest.New(t)
	meta := supporttest.Meta("")
	reg := support.Registration{Realm: account.RealmSupport, Role: account.RoleRequester, Email: "jo@example.com", Name: "Jo", Password: strongPassword}
	a, err := env.Service.Register(ctx, reg, meta)
	if err != nil {
		t.Fatal(err)
	}
	before := events(t, env)
	b, err := env.Service.Register(ctx, reg, meta)
	if err != nil || a != b {
		t.Fatalf("retry gave %s, %v; first %s", b, err, a)
	}
	if events(t, env) != before {
		t.Fatal("the retry appended events")
	}
}

func TestPasswordsAreArgon2idHashesOutsideTheEvents(t *testing.T) {
	t.Parallel()
	env := supporttest.New(t)
	id := env.Register(t, account.RealmSupport, account.RoleRequester, "jo@example.com", "Jo", strongPassword)
	var hash string
	if err := env.Pool.QueryRow(ctx, `SELECT password_hash FROM support_credentials WHERE account_id = $1`, id).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$") || strings.Contains(hash, strongPassword) {
		t.Fatalf("stored credential %q is not an argon2id hash", hash)
	}
	next := "a different long passphrase"
	if err := env.Service.ChangePassword(ctx, id, strongPassword, next, supporttest.Meta(id)); err != nil {
		t.Fatal(err)
	}
	noEventContains(t, env, strongPassword, next, hash, "$argon2id$")
}

func TestChangingAPasswordNeedsTheCurrentOneAndTheHolder(t *testing.T) {
	t.Parallel()
	env := supporttest.New(t)
	p := cast(t, env)
	next := "a different long passphrase"
	before := events(t, env)
	refused(t, env, before, env.Service.ChangePassword(ctx, p.requester, "not my password!", next, supporttest.Meta(p.requester)), support.ErrWrongPassword)
	refused(t, env, before, env.Service.ChangePassword(ctx, p.requester, strongPassword, next, supporttest.Meta(p.stranger)), account.ErrNotAccountOwner)
	refused(t, env, before, env.Service.ChangePassword(ctx, p.requester, strongPassword, "short", supporttest.Meta(p.requester)), account.ErrWeakPassword)
	refused(t, env, before, env.Service.ChangePassword(ctx, p.requester, strongPassword, next, supporttest.Meta("no-such-account")), support.ErrUnknownActor)
	meta := supporttest.Meta(p.requester)
	if err := env.Service.ChangePassword(ctx, p.requester, strongPassword, next, meta); err != nil {
		t.Fatal(err)
	}
	// A retry of the same change is recognised although the current password has changed.
	if err := env.Service.ChangePassword(ctx, p.requester, strongPassword, next, meta); err != nil {
		t.Fatalf("retried change: %v", err)
	}
	if _, err := env.Service.Authenticate(ctx, support.Login{Realm: account.RealmSupport, Email: "jo@example.co.uk", Password: next}); err != nil {
		t.Fatalf("new password refused: %v", err)
	}
}

func TestProfileChangesAreValidatedAndANewEmailIsClaimed(t *testing.T) {
	t.Parallel()
	env := supporttest.New(t)
	p := cast(t, env)
	before := events(t, env)
	for name, c := range map[string]struct {
		profile support.Profile
		want    error
	}{
		"malformed phone": {support.Profile{AccountID: p.requester, Name: "Jo Bloggs", Email: "jo@example.co.uk", Phone: "12345"}, contact.ErrInvalidPhone},
		"malformed email": {support.Profile{AccountID: p.requester, Name: "Jo Bloggs", Email: "jo at example"}, contact.ErrInvalidEmail},
		"email taken":     {support.Profile{AccountID: p.requester, Name: "Jo Bloggs", Email: "eve@example.com"}, support.ErrEmailTaken},
	} {
		t.Run(name, func(t *testing.T) {
			refused(t, env, before, env.Service.UpdateProfile(ctx, c.profile, supporttest.Meta(p.requester)), c.want)
		})
	}
	refused(t, env, before, env.Service.UpdateProfile(ctx, support.Profile{AccountID: p.requester, Name: "Eve", Email: "jo@example.co.uk"}, supporttest.Meta(p.stranger)), account.ErrNotAccountOwner)
	if err := env.Service.UpdateProfile(ctx, support.Profile{AccountID: p.requester, Name: "Jo Bloggs", Email: "jo.new@example.co.uk", Phone: "07700 900123"}, supporttest.Meta(p.requester)); err != nil {
		t.Fatal(err)
	}
	if id, found, _ := env.Service.LookupEmail(ctx, account.RealmSupport, "jo.new@example.co.uk"); !found || id != p.requester {
		t.Fatal("the new email does not find the account")
	}
	if _, found, _ := env.Service.LookupEmail(ctx, account.RealmSupport, "jo@example.co.uk"); found {
		t.Fatal("the old email still finds the account")
	}
	a, _ := env.Service.Account(ctx, p.requester)
	if a.Phone != "+447700900123" {
		t.Fatalf("phone stored as %q", a.Phone)
	}
}

func TestOnlyAgentsBlockAndUnblockAddresses(t *testing.T) {
	t.Parallel()
	env := supporttest.New(t)
	p := cast(t, env)
	before := events(t, env)
	refused(t, env, before, env.Service.BlockIP(ctx, p.patient, "203.0.113.300", supporttest.Meta(p.agent)), account.ErrInvalidInput, contact.ErrInvalidIP)
	refused(t, env, before, env.Service.BlockIP(ctx, p.patient, "203.0.113.7", supporttest.Meta(p.requester)), ticket.ErrAgentsOnly)
	if err := env.Service.BlockIP(ctx, p.patient, "203.0.113.7", supporttest.Meta("system:rate-limiter")); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Service.Authenticate(ctx, support.Login{Realm: account.RealmPortal, Email: "jo@example.co.uk", Password: strongPassword, IP: "203.0.113.7"}); !errors.Is(err, support.ErrIPBlocked) {
		t.Fatalf("login from the blocked address: %v", err)
	}
	before = events(t, env)
	refused(t, env, before, env.Service.UnblockIP(ctx, p.patient, "203.0.113.7", "", supporttest.Meta(p.requester)), ticket.ErrAgentsOnly)
	refused(t, env, before, env.Service.UnblockIP(ctx, p.patient, "203.0.113.8", "", supporttest.Meta(p.agent)), account.ErrIPNotBlocked)
	refused(t, env, before, env.Service.UnblockIP(ctx, p.patient, "203.0.113.7", "no-such-ticket", supporttest.Meta(p.agent)), ticket.ErrTicketNotFound)
	tk, err := env.Service.OpenTicket(ctx, support.NewTicket{Category: ticket.CategoryBlockedIP, Subject: "Cannot see the login page", Body: "Blocked?", IP: "203.0.113.7"}, supporttest.Meta(p.requester))
	if err != nil {
		t.Fatal(err)
	}
	if err := env.Service.UnblockIP(ctx, p.patient, "203.0.113.7", tk, supporttest.Meta(p.agent)); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Service.Authenticate(ctx, support.Login{Realm: account.RealmPortal, Email: "jo@example.co.uk", Password: strongPassword, IP: "203.0.113.7"}); err != nil {
		t.Fatalf("login after unblocking: %v", err)
	}
}

func TestCommandsWithoutAnIDAreRefused(t *testing.T) {
	t.Parallel()
	env := supporttest.New(t)
	_, err := env.Service.Register(ctx, support.Registration{Realm: account.RealmSupport, Role: account.RoleRequester, Email: "jo@example.com", Name: "Jo"}, commands.Metadata{Actor: "x"})
	if !errors.Is(err, commands.ErrInvalidMetadata) {
		t.Fatalf("no command id: %v", err)
	}
}
