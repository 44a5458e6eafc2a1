package operations

import (
	"context"
	"errors"
	"testing"

	"ledgerdesk/commands/support"
	"ledgerdesk/commands/support/supporttest"
	"ledgerdesk/domain/account"
)

// The API's password sign-in gives an agent's account a staff session only with
// two-factor on, as the web's does.
func TestPasswordSignInRefusesAStaffAccountWithoutTwoFactor(t *testing.T) {
	t.Parallel()
	env := supporttest.New(t)
	ctx := context.Background()
	env.Register(t, account.RealmSupport, account.RoleAgent, "sam@practice.example", "Sam Agent", "a long staff password")
	env.Register(t, account.RealmSupport, account.RoleRequester, "jo@example.co.uk", "Jo Bloggs", "a long requester password")
	signIn := passwordSignIn(env.Service)
	if _, _, err := signIn(ctx, "sam@practice.example", "a long staff password", "", ""); !errors.Is(err, support.ErrStaffTwoFactor) {
		t.Errorf("agent without two-factor: %v, want ErrStaffTwoFactor", err)
	}
	if _, role, err := signIn(ctx, "jo@example.co.uk", "a long requester password", "", ""); err != nil || role != "patient" {
		t.Errorf("requester: role %q, %v", role, err)
	}
}
