package support

import (
	"errors"
	"fmt"

	"ledgerdesk/domain/account"
	"ledgerdesk/domain/ticket"
)

// ErrStaffTwoFactor: a staff account without two-factor set up asks for a staff session.
var ErrStaffTwoFactor = errors.New("staff accounts must have two-factor authentication set up before they can sign in to the staff pages")

// CheckStaffSession says whether an account may hold a staff session: a support-site
// agent's account (support agents and IT support alike) with two-factor on. A password
// alone would let whoever guessed one read every ticket and its internal notes.
func CheckStaffSession(a account.State) error {
	if !IsAgent(a) {
		return fmt.Errorf("%w: this is not a staff account", ticket.ErrAgentsOnly)
	}
	if !a.TwoFactorEnabled() {
		return fmt.Errorf("%w: ask IT support to set up an authenticator app for this account", ErrStaffTwoFactor)
	}
	return nil
}
