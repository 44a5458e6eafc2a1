package support_test

import (
	"errors"
	"testing"
	"time"

	support "ledgerdesk/commands/support"
	"ledgerdesk/commands/support/supporttest"
	"ledgerdesk/domain/account"
)

// The email for a reset request is made again from the request's command id: it carries
// the very token the request recorded the hash of, and only while that link still works.
func TestTheResetEmailCarriesTheRequestsTokenOnlyWhileTheLinkWorks(t *testing.T) {
	t.Parallel()
	env := supporttest.New(t)
	svc := env.Service
	id := env.Register(t, account.RealmSupport, account.RoleRequester, "jo@example.co.uk", "Jo Bloggs", strongPassword)

	first := supporttest.Meta("")
	link, found, err := svc.RequestPasswordReset(ctx, account.RealmSupport, "jo@example.co.uk", first)
	if err != nil || !found {
		t.Fatalf("request: %v %v", found, err)
	}
	m, err := svc.ResetMailFor(ctx, id, first.CommandID)
	if err != nil {
		t.Fatal(err)
	}
	if m.Token != link.Token || m.To != "jo@example.co.uk" || m.Name != "Jo Bloggs" || !m.ExpiresAt.Equal(link.ExpiresAt) {
		t.Fatalf("mail %+v for link %+v", m, link)
	}
	if _, err := svc.ResetMailFor(ctx, id, supporttest.Meta("").CommandID); !errors.Is(err, support.ErrResetLinkGone) {
		t.Errorf("a command that requested nothing: %v", err)
	}

	// A newer request replaces the first link; completing the newer one uses it up.
	second := supporttest.Meta("")
	if _, _, err := svc.RequestPasswordReset(ctx, account.RealmSupport, "jo@example.co.uk", second); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ResetMailFor(ctx, id, first.CommandID); !errors.Is(err, support.ErrResetLinkGone) {
		t.Errorf("the replaced link: %v", err)
	}
	m2, err := svc.ResetMailFor(ctx, id, second.CommandID)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.CompletePasswordReset(ctx, id, m2.Token, "a brand new passphrase here", supporttest.Meta("")); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ResetMailFor(ctx, id, second.CommandID); !errors.Is(err, support.ErrResetLinkGone) {
		t.Errorf("the used link: %v", err)
	}

	// An unused link past its lifetime is not sent either.
	third := supporttest.Meta("")
	if _, _, err := svc.RequestPasswordReset(ctx, account.RealmSupport, "jo@example.co.uk", third); err != nil {
		t.Fatal(err)
	}
	env.Clock.Advance(account.ResetTokenLifetime - time.Second)
	if _, err := svc.ResetMailFor(ctx, id, third.CommandID); err != nil {
		t.Errorf("a second before it expires: %v", err)
	}
	env.Clock.Advance(time.Second)
	if _, err := svc.ResetMailFor(ctx, id, third.CommandID); !errors.Is(err, support.ErrResetLinkGone) {
		t.Errorf("the expired link: %v", err)
	}
}
