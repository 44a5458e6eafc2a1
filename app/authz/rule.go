package authz

import (
	"fmt"
	"sort"
	"strings"
)

// Scope says how far a role's permission for an operation reaches.
type Scope int

const (
	// Any record.
	Any Scope = iota + 1
	// OwnPatient: records whose patient is the actor.
	OwnPatient
	// OwnClinician: records whose clinician is the actor.
	OwnClinician
	// Self: records whose owner (a ticket's requester, an account's holder) is the actor.
	Self
)

func (s Scope) String() string {
	switch s {
	case Any:
		return "any"
	case OwnPatient:
		return "own (as patient)"
	case OwnClinician:
		return "own (as clinician)"
	case Self:
		return "own"
	}
	return fmt.Sprintf("Scope(%d)", int(s))
}

// Resource is what an operation touches, as far as authorization cares: whose it is.
type Resource struct {
	PatientID   string
	ClinicianID string
	// OwnerID is the account that owns a record that is neither a patient's nor a
	// clinician's (a ticket's requester, a profile).
	OwnerID string
}

// Rule is who may do one thing: each role named, with how far it reaches. A role not
// named may not.
type Rule map[Role]Scope

// Allows says whether role may do this to some record (ignoring whose): what a listing or a
// menu needs before it knows the records.
func (r Rule) Allows(role Role) bool {
	_, ok := r[role]
	return ok
}

// Scoped says whether role's permission depends on whose record it is.
func (r Rule) Scoped(role Role) bool {
	s, ok := r[role]
	return ok && s != Any
}

// Check says whether actor may do action (its name, for the message) to res; the error wraps
// ErrForbidden (or ErrUnauthenticated) and says why in words.
func (r Rule) Check(actor Actor, action string, res Resource) error {
	if err := actor.Valid(); err != nil {
		return err
	}
	scope, ok := r[actor.Role]
	if !ok && actor.Role == Visitor {
		return fmt.Errorf("%w: sign in to %s", ErrUnauthenticated, action)
	}
	if !ok {
		return fmt.Errorf("%w: a %s may not %s", ErrForbidden, actor.Role, action)
	}
	var owner, whose string
	switch scope {
	case Any:
		return nil
	case OwnPatient:
		owner, whose = res.PatientID, "patient"
	case OwnClinician:
		owner, whose = res.ClinicianID, "clinician"
	case Self:
		owner, whose = res.OwnerID, "owner"
	}
	if owner == "" || owner != actor.Subject {
		return fmt.Errorf("%w: a %s may %s only where they are the %s", ErrForbidden, actor.Role, action, whose)
	}
	return nil
}

func (r Rule) String() string {
	parts := make([]string, 0, len(r))
	for role, scope := range r {
		parts = append(parts, fmt.Sprintf("%s: %s", role, scope))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}
