package authz

import (
	"errors"
	"fmt"
	"slices"
)

// Role is what a person does in the practice.
type Role string

const (
	Patient      Role = "patient"
	Clinician    Role = "clinician"
	SupportAgent Role = "support_agent"
	ITSupport    Role = "it_support"
	Accounts     Role = "accounts"
	Auditor      Role = "auditor"
	Admin        Role = "admin"
)

// Roles lists every role, in a stable order (for tests and help texts).
func Roles() []Role {
	return []Role{Patient, Clinician, SupportAgent, ITSupport, Accounts, Auditor, Admin}
}

var (
	// ErrForbidden: the actor is known but may not do this.
	ErrForbidden = errors.New("not allowed")
	// ErrUnauthenticated: nobody (or nobody we recognise) is acting.
	ErrUnauthenticated = errors.New("not signed in")
	// ErrInvalidRole: a role name that is not one of Roles.
	ErrInvalidRole = errors.New("no such role")
)

// ParseRole reads a role name.
func ParseRole(s string) (Role, error) {
	r := Role(s)
	if !slices.Contains(Roles(), r) {
		return "", fmt.Errorf("%w: %q (want one of %v)", ErrInvalidRole, s, Roles())
	}
	return r, nil
}

// Actor is who is acting: the subject is their id (a patient id for a patient, a
// clinician id for a clinician, a staff member's id otherwise), which is also what event
// metadata records as the actor.
type Actor struct {
	Subject string
	Role    Role
}

// Valid says the actor has a subject and a known role.
func (a Actor) Valid() error {
	if a.Subject == "" {
		return fmt.Errorf("%w: no subject", ErrUnauthenticated)
	}
	if _, err := ParseRole(string(a.Role)); err != nil {
		return fmt.Errorf("%w: %w", ErrUnauthenticated, err)
	}
	return nil
}
