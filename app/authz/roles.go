package authz

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Role is what a person (or the system) does in the practice.
type Role string

const (
	Patient      Role = "patient"
	Clinician    Role = "clinician"
	SupportAgent Role = "support_agent"
	ITSupport    Role = "it_support"
	Accounts     Role = "accounts"
	Auditor      Role = "auditor"
	Admin        Role = "admin"
	// System is the policies: they act on events, as a named system actor
	// ("policy:<name>"), through the same door as people.
	System Role = "system"
	// Visitor is someone who has not signed in. Only public operations (the help articles,
	// for instance) allow it; like System it is never issued as a token or a sign-in.
	Visitor Role = "visitor"
)

// VisitorActor is who acts for a request nobody has signed in to.
func VisitorActor() Actor { return Actor{Subject: "visitor", Role: Visitor} }

// Roles lists every role a person can hold, in a stable order (for tests and help texts).
// System is not among them: no token or sign-in can be issued for it.
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

// ParseRole reads the name of a role a person can hold.
func ParseRole(s string) (Role, error) {
	r := Role(s)
	if !slices.Contains(Roles(), r) {
		names := make([]string, 0, len(Roles()))
		for _, r := range Roles() {
			names = append(names, string(r))
		}
		return "", fmt.Errorf("%w: %q (want one of %s)", ErrInvalidRole, s, strings.Join(names, ", "))
	}
	return r, nil
}

// PolicyActor is the actor a policy acts as: the system, under the policy's name, so every
// event it causes says which policy did it.
func PolicyActor(policy string) Actor { return Actor{Subject: "policy:" + policy, Role: System} }

// ProviderActor is the actor a payment provider's verified confirmation acts as: the
// system, under the provider's name ("provider:stripe"), so a payment it recorded says so.
func ProviderActor(provider string) Actor {
	return Actor{Subject: "provider:" + provider, Role: System}
}

// Actor is who is acting: the subject is their id (a patient id for a patient, a
// clinician id for a clinician, a support-site account id on the support centre, a staff
// member's id otherwise), which is also what event metadata records as the actor.
type Actor struct {
	Subject string
	Role    Role
}

// Valid says the actor has a subject and a known role.
func (a Actor) Valid() error {
	if strings.TrimSpace(a.Subject) == "" {
		return fmt.Errorf("%w: no subject", ErrUnauthenticated)
	}
	if a.Role == System {
		for _, prefix := range []string{"policy:", "provider:"} {
			if name, ok := strings.CutPrefix(a.Subject, prefix); ok && strings.TrimSpace(name) != "" {
				return nil
			}
		}
		return fmt.Errorf("%w: the system acts only as a named policy (policy:<name>) or payment provider (provider:<name>), not as %q", ErrUnauthenticated, a.Subject)
	}
	if a.Role == Visitor {
		if a.Subject != "visitor" {
			return fmt.Errorf("%w: a visitor has no identity, not %q", ErrUnauthenticated, a.Subject)
		}
		return nil
	}
	if _, err := ParseRole(string(a.Role)); err != nil {
		return fmt.Errorf("%w: %w", ErrUnauthenticated, err)
	}
	return nil
}

func (a Actor) String() string { return fmt.Sprintf("%s (%s)", a.Subject, a.Role) }
