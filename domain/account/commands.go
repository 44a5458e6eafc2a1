package account

import (
	"time"

	"ledgerdesk/domain/contact"
	"ledgerdesk/domain/modulus"
)

// Command is an account command. Password fields carry plaintext only as far as Decide's
// policy check; they are tagged json:"-" so that a command logged or queued by mistake
// does not leak them.
type Command interface {
	isAccountCommand()
}

// Register opens an account. Password may be empty for an account created by staff, whose
// holder then sets one through a reset link. The command layer must first claim
// EmailReservationStream(realm, email).
type Register struct {
	AccountID string
	Realm     Realm
	Role      Role
	Email     string
	Name      string
	Password  string `json:"-"`
	At        time.Time
}

// UpdateProfile replaces the holder's name, email and (optional) phone from "My Profile".
type UpdateProfile struct {
	AccountID string
	Name      string
	Email     string
	Phone     string
	At        time.Time
}

// SetPostalAddress replaces the holder's postal address.
type SetPostalAddress struct {
	AccountID string
	Address   contact.Address
	At        time.Time
}

// ChangePassword is the logged-in holder choosing a new password. The command layer has
// already checked the current password with VerifyPassword.
type ChangePassword struct {
	AccountID   string
	NewPassword string `json:"-"`
	At          time.Time
}

// RequestPasswordReset records the hash of a freshly emailed token (see NewResetToken).
type RequestPasswordReset struct {
	AccountID string
	TokenHash string
	At        time.Time
}

// CompletePasswordReset sets a new password with the token from the emailed link, given as
// its hash (HashResetToken).
type CompletePasswordReset struct {
	AccountID   string
	TokenHash   string
	NewPassword string `json:"-"`
	At          time.Time
}

// EnrolTwoFactor turns TOTP on once the holder has typed a valid code (checked by the
// command layer with ValidateTOTP against the secret it keeps under SecretRef).
type EnrolTwoFactor struct {
	AccountID string
	SecretRef string
	At        time.Time
}

// ResetTwoFactor turns TOTP off. The command layer issues it only for a two_factor_reset
// ticket whose identity check passed.
type ResetTwoFactor struct {
	AccountID string
	TicketID  string
	AgentID   string
	At        time.Time
}

// BlockIP refuses logins from an address.
type BlockIP struct {
	AccountID string
	IP        string
	By        string
	At        time.Time
}

// UnblockIP lifts a block.
type UnblockIP struct {
	AccountID string
	IP        string
	By        string
	TicketID  string
	At        time.Time
}

// GrantSupportAccess is the holder (By must be the account itself) allowing IT support to
// act for them until ExpiresAt.
type GrantSupportAccess struct {
	AccountID string
	GrantID   string
	TicketID  string
	Scopes    []Scope
	By        string
	ExpiresAt time.Time
	At        time.Time
}

// RevokeSupportAccess withdraws a grant; the holder or an agent may do it.
type RevokeSupportAccess struct {
	AccountID string
	GrantID   string
	By        string
	At        time.Time
}

// ChangePasswordAsSupport is IT support setting a password under a change_password grant.
type ChangePasswordAsSupport struct {
	AccountID   string
	GrantID     string
	AgentID     string
	NewPassword string `json:"-"`
	At          time.Time
}

// StartLogInAs is IT support starting a session as the holder under a log_in_as grant.
type StartLogInAs struct {
	AccountID string
	GrantID   string
	AgentID   string
	At        time.Time
}

// RecordSupportAction records one thing IT support did while logged in as the holder
// (a page viewed, a setting changed), under a log_in_as grant.
type RecordSupportAction struct {
	AccountID string
	GrantID   string
	AgentID   string
	Action    string
	At        time.Time
}

// SetPayeeBankDetails sets where a clinician's payouts go. By is who made the change (the
// clinician, or staff entering a new clinician's first details). Replacing details that are
// already set needs the holder themselves, re-authenticated: Reauthenticated says the
// command layer checked their password and authenticator code again for this command.
// Modulus is the UK modulus check's result, run by the command layer (it holds the weight
// table); a Failed result is refused, and an empty one is recorded as not checked.
type SetPayeeBankDetails struct {
	AccountID       string
	AccountName     string
	SortCode        string
	AccountNumber   string
	By              string
	Reauthenticated bool
	Modulus         modulus.Result
	At              time.Time
}

func (Register) isAccountCommand()                {}
func (UpdateProfile) isAccountCommand()           {}
func (SetPostalAddress) isAccountCommand()        {}
func (ChangePassword) isAccountCommand()          {}
func (RequestPasswordReset) isAccountCommand()    {}
func (CompletePasswordReset) isAccountCommand()   {}
func (EnrolTwoFactor) isAccountCommand()          {}
func (ResetTwoFactor) isAccountCommand()          {}
func (BlockIP) isAccountCommand()                 {}
func (UnblockIP) isAccountCommand()               {}
func (GrantSupportAccess) isAccountCommand()      {}
func (RevokeSupportAccess) isAccountCommand()     {}
func (ChangePasswordAsSupport) isAccountCommand() {}
func (StartLogInAs) isAccountCommand()            {}
func (RecordSupportAction) isAccountCommand()     {}
func (SetPayeeBankDetails) isAccountCommand()     {}
