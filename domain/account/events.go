package account

import (
	"time"

	"ledgerdesk/domain/decider"
	"ledgerdesk/domain/modulus"
)

// Event is an account event.
type Event interface {
	decider.Event
	isAccountEvent()
}

// Registered opens an account in a realm.
type Registered struct {
	AccountID string    `json:"account_id"`
	Realm     Realm     `json:"realm"`
	Role      Role      `json:"role"`
	Email     string    `json:"email" pii:"true"`
	Name      string    `json:"name" pii:"true"`
	At        time.Time `json:"at"`
}

// PasswordSet records that a first password was chosen at registration (its hash lives in
// the credentials table, never here).
type PasswordSet struct {
	AccountID string    `json:"account_id"`
	At        time.Time `json:"at"`
}

// ProfileUpdated carries the holder's full contact details after an edit. Phone is empty
// when the holder gave none. A changed email must have been claimed first (see
// EmailReservationStream).
type ProfileUpdated struct {
	AccountID string    `json:"account_id"`
	Name      string    `json:"name" pii:"true"`
	Email     string    `json:"email" pii:"true"`
	Phone     string    `json:"phone,omitempty" pii:"true"`
	At        time.Time `json:"at"`
}

// PostalAddressSet records the address the portal holds, the one an identity document for
// a two-factor reset must show.
type PostalAddressSet struct {
	AccountID string    `json:"account_id"`
	Line1     string    `json:"line1" pii:"true"`
	Line2     string    `json:"line2,omitempty" pii:"true"`
	Line3     string    `json:"line3,omitempty" pii:"true"`
	Town      string    `json:"town" pii:"true"`
	Postcode  string    `json:"postcode" pii:"true"`
	At        time.Time `json:"at"`
}

// PasswordChanged is a marker: the password changed, how, and under which grant if IT
// support did it. The new hash is in the credentials table.
type PasswordChanged struct {
	AccountID string    `json:"account_id"`
	By        ChangedBy `json:"by"`
	GrantID   string    `json:"grant_id,omitempty"`
	AgentID   string    `json:"agent_id,omitempty"`
	At        time.Time `json:"at"`
}

// PasswordResetRequested stores the SHA-256 of the emailed token, never the token.
type PasswordResetRequested struct {
	AccountID string    `json:"account_id"`
	TokenHash string    `json:"token_hash"`
	At        time.Time `json:"at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// PasswordResetCompleted uses up a reset token; a PasswordChanged{By: reset} follows it.
type PasswordResetCompleted struct {
	AccountID string    `json:"account_id"`
	TokenHash string    `json:"token_hash"`
	At        time.Time `json:"at"`
}

// TwoFactorEnrolled records that TOTP is on. SecretRef names where the command layer keeps
// the secret; the secret itself is never in an event.
type TwoFactorEnrolled struct {
	AccountID string    `json:"account_id"`
	SecretRef string    `json:"secret_ref"`
	At        time.Time `json:"at"`
}

// TwoFactorReset turns TOTP off after an agent verified the holder's identity on a ticket.
type TwoFactorReset struct {
	AccountID string    `json:"account_id"`
	TicketID  string    `json:"ticket_id"`
	AgentID   string    `json:"agent_id"`
	At        time.Time `json:"at"`
}

// IPBlocked records that logins from IP are refused for this account.
type IPBlocked struct {
	AccountID string    `json:"account_id"`
	IP        string    `json:"ip" pii:"true"`
	By        string    `json:"by"`
	At        time.Time `json:"at"`
}

// IPUnblocked lifts a block, usually from a blocked_ip ticket.
type IPUnblocked struct {
	AccountID string    `json:"account_id"`
	IP        string    `json:"ip" pii:"true"`
	By        string    `json:"by"`
	TicketID  string    `json:"ticket_id,omitempty"`
	At        time.Time `json:"at"`
}

// SupportAccessGranted is the holder's explicit, scoped, time-limited consent.
type SupportAccessGranted struct {
	AccountID string    `json:"account_id"`
	GrantID   string    `json:"grant_id"`
	TicketID  string    `json:"ticket_id,omitempty"`
	Scopes    []Scope   `json:"scopes"`
	At        time.Time `json:"at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// SupportAccessRevoked withdraws a grant before it expires.
type SupportAccessRevoked struct {
	AccountID string    `json:"account_id"`
	GrantID   string    `json:"grant_id"`
	By        string    `json:"by"`
	At        time.Time `json:"at"`
}

// SupportActionRecorded is written for every single thing IT support does under a grant.
type SupportActionRecorded struct {
	AccountID string    `json:"account_id"`
	GrantID   string    `json:"grant_id"`
	AgentID   string    `json:"agent_id"`
	Action    string    `json:"action"`
	At        time.Time `json:"at"`
}

// PayeeBankDetailsSet records where a clinician's payouts go, who set them and when.
// Replaced says it changed details already set: the event a mail policy turns into a
// message to the holder's address ("your bank details were changed"), and the one that
// starts the payout hold (see State.PayeeHeld). Events recorded before By, Reauthenticated
// and the modulus fields existed read as set by nobody named, not re-authenticated, not
// checked.
type PayeeBankDetailsSet struct {
	AccountID       string          `json:"account_id"`
	AccountName     string          `json:"account_name" pii:"true"`
	SortCode        string          `json:"sort_code" pii:"true"`
	AccountNumber   string          `json:"account_number" pii:"true"`
	By              string          `json:"by,omitempty"`
	Reauthenticated bool            `json:"reauthenticated,omitempty"`
	Replaced        bool            `json:"replaced,omitempty"`
	Modulus         modulus.Outcome `json:"modulus,omitempty"`
	ModulusReason   string          `json:"modulus_reason,omitempty"`
	At              time.Time       `json:"at"`
}

func (Registered) EventType() string             { return "account.registered.v1" }
func (PasswordSet) EventType() string            { return "account.password_set.v1" }
func (ProfileUpdated) EventType() string         { return "account.profile_updated.v1" }
func (PostalAddressSet) EventType() string       { return "account.postal_address_set.v1" }
func (PasswordChanged) EventType() string        { return "account.password_changed.v1" }
func (PasswordResetRequested) EventType() string { return "account.password_reset_requested.v1" }
func (PasswordResetCompleted) EventType() string { return "account.password_reset_completed.v1" }
func (TwoFactorEnrolled) EventType() string      { return "account.two_factor_enrolled.v1" }
func (TwoFactorReset) EventType() string         { return "account.two_factor_reset.v1" }
func (IPBlocked) EventType() string              { return "account.ip_blocked.v1" }
func (IPUnblocked) EventType() string            { return "account.ip_unblocked.v1" }
func (SupportAccessGranted) EventType() string   { return "account.support_access_granted.v1" }
func (SupportAccessRevoked) EventType() string   { return "account.support_access_revoked.v1" }
func (SupportActionRecorded) EventType() string  { return "account.support_action_recorded.v1" }
func (PayeeBankDetailsSet) EventType() string    { return "account.payee_bank_details_set.v1" }

func (Registered) isAccountEvent()             {}
func (PasswordSet) isAccountEvent()            {}
func (ProfileUpdated) isAccountEvent()         {}
func (PostalAddressSet) isAccountEvent()       {}
func (PasswordChanged) isAccountEvent()        {}
func (PasswordResetRequested) isAccountEvent() {}
func (PasswordResetCompleted) isAccountEvent() {}
func (TwoFactorEnrolled) isAccountEvent()      {}
func (TwoFactorReset) isAccountEvent()         {}
func (IPBlocked) isAccountEvent()              {}
func (IPUnblocked) isAccountEvent()            {}
func (SupportAccessGranted) isAccountEvent()   {}
func (SupportAccessRevoked) isAccountEvent()   {}
func (SupportActionRecorded) isAccountEvent()  {}
func (PayeeBankDetailsSet) isAccountEvent()    {}

// DataSubject names the person whose key encrypts the event's personal data.
func (e Registered) DataSubject() string          { return e.AccountID }
func (e ProfileUpdated) DataSubject() string      { return e.AccountID }
func (e PostalAddressSet) DataSubject() string    { return e.AccountID }
func (e IPBlocked) DataSubject() string           { return e.AccountID }
func (e IPUnblocked) DataSubject() string         { return e.AccountID }
func (e PayeeBankDetailsSet) DataSubject() string { return e.AccountID }

// EventTypes is one zero value of every event, for the serialization registry.
func EventTypes() []Event {
	return []Event{
		Registered{}, PasswordSet{}, ProfileUpdated{}, PostalAddressSet{}, PasswordChanged{},
		PasswordResetRequested{}, PasswordResetCompleted{}, TwoFactorEnrolled{}, TwoFactorReset{},
		IPBlocked{}, IPUnblocked{}, SupportAccessGranted{}, SupportAccessRevoked{},
		SupportActionRecorded{}, PayeeBankDetailsSet{}, RecoveryCodesIssued{}, RecoveryCodeUsed{},
	}
}
