package support_test

import (
	"context"
	"errors"
	"testing"

	"ledgerdesk/commands/support"
	"ledgerdesk/commands/support/supporttest"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/ticket"
)

func TestOnlyAnAgentWithTwoFactorMayHoldAStaffSession(t *testing.T) {
	t.Parallel()
	env := supporttest.New(t)
	ctx := context.Background()
	agent := env.Register(t, account.RealmSupport, account.RoleAgent, "sam@practice.example", "Sam Agent", "a long staff password")
	requester := env.Register(t, account.RealmSupport, account.RoleRequester, "jo@example.co.uk", "Jo Bloggs", "a long requester password")
	check := func(id string) error {
		t.Helper()
		a, err := env.Service.Account(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return support.CheckStaffSession(a)
	}
	if err := check(agent); !errors.Is(err, support.ErrStaffTwoFactor) {
		t.Errorf("an agent without two-factor: %v, want ErrStaffTwoFactor", err)
	}
	if err := check(requester); !errors.Is(err, ticket.ErrAgentsOnly) {
		t.Errorf("a requester: %v, want ErrAgentsOnly", err)
	}
	if err := supporttest.EnrolTwoFactor(ctx, env, agent); err != nil {
		t.Fatal(err)
	}
	if err := check(agent); err != nil {
		t.Errorf("an agent with two-factor: %v", err)
	}
}
