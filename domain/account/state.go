package account

import (
	"maps"
	"time"

	"ledgerdesk/domain/contact"
	"ledgerdesk/domain/decider"
)

// State is what Decide needs to know about an account.
type State struct {
	ID      string
	Realm   Realm
	Role    Role
	Name    string
	Email   string
	Phone   string
	Address contact.Address

	HasPassword       bool
	PasswordChangedAt time.Time

	// Resets holds every reset token ever issued, by hash, so a reused or superseded
	// link is told apart from a made-up one. LatestReset is the only one that can work.
	Resets      map[string]ResetRequest
	LatestReset string

	TwoFactorSecretRef string // empty when two-factor is off
	// RecoveryCodes are the hashes of the holder's one-time recovery codes, each with
	// whether it has been used (recovery.go).
	RecoveryCodes map[string]bool

	BlockedIPs map[string]time.Time // address → when blocked

	Grants map[string]Grant

	// Payee is where payouts go; PayeeSetAt and PayeeSetBy say when and by whom it was
	// last set.
	Payee      *BankDetails
	PayeeSetAt time.Time
	PayeeSetBy string
}

// ResetRequest is one emailed reset link.
type ResetRequest struct {
	ExpiresAt time.Time
	Used      bool
}

// Grant is one consent to IT support.
type Grant struct {
	ID        string
	TicketID  string
	Scopes    []Scope
	GrantedAt time.Time
	ExpiresAt time.Time
	RevokedAt time.Time // zero while not revoked
}

// Allows reports whether the grant permits scope at instant at.
func (g Grant) Allows(scope Scope, at time.Time) bool {
	return g.activeAt(at) && g.has(scope)
}

func (g Grant) activeAt(at time.Time) bool {
	return !at.Before(g.GrantedAt) && at.Before(g.ExpiresAt) && (g.RevokedAt.IsZero() || at.Before(g.RevokedAt))
}

func (g Grant) has(scope Scope) bool {
	for _, s := range g.Scopes {
		if s == scope {
			return true
		}
	}
	return false
}

// BankDetails is where a clinician is paid.
type BankDetails = contact.BankDetails

// DefaultPayeeCoolingOff is how long payouts to newly set bank details are held unless a
// deployment says otherwise: changed bank details are how payment fraud happens, and three
// days give the holder time to read the message about the change and say it was not them.
const DefaultPayeeCoolingOff = 72 * time.Hour

// PayeeHeld says whether a payout at at must wait because the bank details were set less
// than coolingOff before (any setting, the first included: money leaves only to details
// that survived their cooling-off period), and until when. A coolingOff of zero or less is
// DefaultPayeeCoolingOff.
func (s State) PayeeHeld(at time.Time, coolingOff time.Duration) (until time.Time, held bool) {
	if s.Payee == nil {
		return time.Time{}, false
	}
	if coolingOff <= 0 {
		coolingOff = DefaultPayeeCoolingOff
	}
	until = s.PayeeSetAt.Add(coolingOff)
	return until, at.Before(until)
}

// Registered reports whether the account exists.
func (s State) Registered() bool { return s.ID != "" }

// TwoFactorEnabled reports whether TOTP is on.
func (s State) TwoFactorEnabled() bool { return s.TwoFactorSecretRef != "" }

// Evolve folds one event into the state. Maps are copied before they change, so a state
// already handed out is never altered by a later event.
func Evolve(s State, e Event) State {
	s = evolveRecovery(s, e)
	switch e := e.(type) {
	case Registered:
		s.ID, s.Realm, s.Role, s.Email, s.Name = e.AccountID, e.Realm, e.Role, e.Email, e.Name
	case PasswordSet:
		s.HasPassword = true
		s.PasswordChangedAt = e.At
	case ProfileUpdated:
		s.Name, s.Email, s.Phone = e.Name, e.Email, e.Phone
	case PostalAddressSet:
		s.Address = contact.Address{Line1: e.Line1, Line2: e.Line2, Line3: e.Line3, Town: e.Town, Postcode: e.Postcode}
	case PasswordChanged:
		s.HasPassword = true
		s.PasswordChangedAt = e.At
		// A new password, however it was set, retires any outstanding reset link.
		s.LatestReset = ""
	case PasswordResetRequested:
		s.Resets = maps.Clone(s.Resets)
		if s.Resets == nil {
			s.Resets = map[string]ResetRequest{}
		}
		s.Resets[e.TokenHash] = ResetRequest{ExpiresAt: e.ExpiresAt}
		s.LatestReset = e.TokenHash
	case PasswordResetCompleted:
		s.Resets = maps.Clone(s.Resets)
		r := s.Resets[e.TokenHash]
		r.Used = true
		if s.Resets == nil {
			s.Resets = map[string]ResetRequest{}
		}
		s.Resets[e.TokenHash] = r
	case TwoFactorEnrolled:
		s.TwoFactorSecretRef = e.SecretRef
	case TwoFactorReset:
		s.TwoFactorSecretRef = ""
	case IPBlocked:
		s.BlockedIPs = maps.Clone(s.BlockedIPs)
		if s.BlockedIPs == nil {
			s.BlockedIPs = map[string]time.Time{}
		}
		s.BlockedIPs[e.IP] = e.At
	case IPUnblocked:
		s.BlockedIPs = maps.Clone(s.BlockedIPs)
		delete(s.BlockedIPs, e.IP)
	case SupportAccessGranted:
		s.Grants = maps.Clone(s.Grants)
		if s.Grants == nil {
			s.Grants = map[string]Grant{}
		}
		s.Grants[e.GrantID] = Grant{
			ID: e.GrantID, TicketID: e.TicketID, Scopes: append([]Scope(nil), e.Scopes...),
			GrantedAt: e.At, ExpiresAt: e.ExpiresAt,
		}
	case SupportAccessRevoked:
		s.Grants = maps.Clone(s.Grants)
		if g, ok := s.Grants[e.GrantID]; ok {
			g.RevokedAt = e.At
			s.Grants[e.GrantID] = g
		}
	case SupportActionRecorded:
		// An audit fact: nothing for Decide to remember.
	case PayeeBankDetailsSet:
		s.Payee = &BankDetails{AccountName: e.AccountName, SortCode: e.SortCode, AccountNumber: e.AccountNumber}
		s.PayeeSetAt, s.PayeeSetBy = e.At, e.By
	}
	return s
}

// Decider bundles the account's functions for the command layer.
var Decider = decider.Decider[State, Command, Event]{
	Initial: func() State { return State{} },
	Decide:  Decide,
	Evolve:  Evolve,
}
