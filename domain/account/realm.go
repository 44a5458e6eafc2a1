package account

import "ledgerdesk/domain/check"

// Realm is the site an account logs in to.
type Realm string

const (
	RealmPortal  Realm = "portal"
	RealmSupport Realm = "support"
)

// Role is what the account is for; each realm has its own roles.
type Role string

const (
	RolePatient   Role = "patient"   // portal
	RoleClinician Role = "clinician" // portal
	RoleAccounts  Role = "accounts"  // portal: the accounts department
	RoleRequester Role = "requester" // support: anyone raising tickets
	RoleAgent     Role = "agent"     // support: support agents and IT support
)

var realmRoles = map[Realm][]Role{
	RealmPortal:  {RolePatient, RoleClinician, RoleAccounts},
	RealmSupport: {RoleRequester, RoleAgent},
}

// ParseRealm reads "portal" or "support".
func ParseRealm(s string) (Realm, error) {
	if _, ok := realmRoles[Realm(s)]; !ok {
		return "", check.Failf(ErrInvalidInput, "realm", "must be portal or support")
	}
	return Realm(s), nil
}

// ParseRole reads a role and checks it belongs to the realm.
func ParseRole(realm Realm, s string) (Role, error) {
	roles, ok := realmRoles[realm]
	if !ok {
		return "", check.Failf(ErrInvalidInput, "realm", "must be portal or support")
	}
	for _, r := range roles {
		if string(r) == s {
			return r, nil
		}
	}
	return "", check.Failf(ErrInvalidInput, "role", "%q is not a role in the %s realm (one of %v)", s, realm, roles)
}

// Scope is one thing a user allows IT support to do under a grant.
type Scope string

const (
	ScopeChangePassword Scope = "change_password"
	ScopeLogInAs        Scope = "log_in_as"
)

// ParseScope reads "change_password" or "log_in_as".
func ParseScope(s string) (Scope, error) {
	switch Scope(s) {
	case ScopeChangePassword, ScopeLogInAs:
		return Scope(s), nil
	}
	return "", check.Failf(ErrInvalidInput, "scopes", "%q must be change_password or log_in_as", s)
}

// ChangedBy says how a password came to change.
type ChangedBy string

const (
	ChangedBySelf    ChangedBy = "self"    // the holder, logged in, from their profile
	ChangedByReset   ChangedBy = "reset"   // the holder, through an emailed reset link
	ChangedBySupport ChangedBy = "support" // IT support, under the holder's grant
)

// Actions recorded under a support grant.
const (
	ActionChangePassword = "change_password"
	ActionLogInAs        = "log_in_as"
)
