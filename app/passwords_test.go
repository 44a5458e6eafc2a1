package app

import (
	"errors"
	"fmt"
	"testing"

	"ledgerdesk/app/authz"
	"ledgerdesk/commands/support"
	"ledgerdesk/domain/account"
)

// A refused reset link or registration is the person's to act on, not a failure of ours:
// it must not be logged as an error, nor answered as a 500.
func TestTheResetAndRegistrationRefusalsAreNamedClasses(t *testing.T) {
	for err, want := range map[error]Class{
		account.ErrResetTokenUsed: Rejected, account.ErrResetTokenExpired: Rejected, account.ErrResetTokenReplaced: Rejected,
		account.ErrResetTokenInvalid: Rejected, account.ErrWeakPassword: Invalid, support.ErrEmailTaken: Conflict,
		support.ErrResetLinkGone: Rejected, account.ErrAccountNotFound: NotFound,
	} {
		if got := ClassOf(fmt.Errorf("wrapped: %w", err)); got != want {
			t.Errorf("%v: %s, want %s", err, got, want)
		}
	}
}

func TestOnlyTheResetJourneyAndRegistrationAdmitAVisitor(t *testing.T) {
	admitted := map[string]bool{}
	for _, s := range Operations() {
		if s.Rule.Allows(authz.Visitor) {
			admitted[s.Action] = true
		}
	}
	want := map[string]bool{"account.request_password_reset": true, "account.complete_password_reset": true, "account.password_reset.check": true, "support.account.sign_up": true, "help.read": true}
	if len(admitted) != len(want) {
		t.Errorf("visitors may %v, want exactly %v", admitted, want)
	}
	for a := range want {
		if !admitted[a] {
			t.Errorf("a visitor may not %s", a)
		}
	}
	if err := (authz.Rule{}).Check(authz.VisitorActor(), "x", authz.Resource{}); !errors.Is(err, authz.ErrUnauthenticated) {
		t.Errorf("a rule without the visitor: %v", err)
	}
}
