package authz

import (
	"errors"
	"testing"
)

func TestOwnershipScopes(t *testing.T) {
	rule := Rule{Patient: OwnPatient, Clinician: OwnClinician, SupportAgent: Self, Accounts: Any}
	cases := []struct {
		actor Actor
		res   Resource
		ok    bool
	}{
		{Actor{"c1", Clinician}, Resource{ClinicianID: "c1"}, true},
		{Actor{"c1", Clinician}, Resource{ClinicianID: "c2"}, false},
		{Actor{"c1", Clinician}, Resource{}, false},
		{Actor{"p1", Patient}, Resource{PatientID: "p1"}, true},
		{Actor{"p1", Patient}, Resource{PatientID: "p2", ClinicianID: "p1"}, false},
		{Actor{"s1", SupportAgent}, Resource{OwnerID: "s1"}, true},
		{Actor{"s1", SupportAgent}, Resource{OwnerID: "s2"}, false},
		{Actor{"a1", Accounts}, Resource{}, true},
		{Actor{"x", Admin}, Resource{}, false},
		{Actor{"", Accounts}, Resource{}, false},
		{Actor{"x", "boss"}, Resource{}, false},
		{Actor{"policy:x", System}, Resource{}, false},
	}
	for _, c := range cases {
		err := rule.Check(c.actor, "do it", c.res)
		if (err == nil) != c.ok {
			t.Errorf("%+v on %+v: %v, want allowed=%v", c.actor, c.res, err, c.ok)
		}
		if err != nil && !errors.Is(err, ErrForbidden) && !errors.Is(err, ErrUnauthenticated) {
			t.Errorf("%v wraps neither ErrForbidden nor ErrUnauthenticated", err)
		}
	}
}

func TestTheSystemActsOnlyAsANamedPolicy(t *testing.T) {
	if err := PolicyActor("payments.earnings").Valid(); err != nil {
		t.Fatalf("a named policy is refused: %v", err)
	}
	if err := (Actor{Subject: "someone", Role: System}).Valid(); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("a system actor without a policy name: %v, want ErrUnauthenticated", err)
	}
	if _, err := ParseRole(string(System)); !errors.Is(err, ErrInvalidRole) {
		t.Fatalf("the system role can be named by a person: %v", err)
	}
}

func TestThePaymentProviderActsAsTheSystemUnderItsName(t *testing.T) {
	if err := ProviderActor("stripe").Valid(); err != nil {
		t.Fatalf("a named provider is refused: %v", err)
	}
	for _, s := range []string{"provider:", "provider: ", "policy:", "stripe"} {
		if err := (Actor{Subject: s, Role: System}).Valid(); !errors.Is(err, ErrUnauthenticated) {
			t.Errorf("a system actor %q: %v, want ErrUnauthenticated", s, err)
		}
	}
}

func TestAVisitorHasNoIdentityAndIsNoRoleAPersonCanBeGiven(t *testing.T) {
	if err := VisitorActor().Valid(); err != nil {
		t.Fatalf("the visitor is refused: %v", err)
	}
	if err := (Actor{Subject: "patient-1", Role: Visitor}).Valid(); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("a visitor claiming an identity: %v, want ErrUnauthenticated", err)
	}
	if _, err := ParseRole(string(Visitor)); !errors.Is(err, ErrInvalidRole) {
		t.Fatalf("the visitor role can be issued: %v", err)
	}
	if err := (Rule{Patient: Any}).Check(VisitorActor(), "ticket.read", Resource{}); err == nil {
		t.Fatal("a rule without the visitor lets a visitor in")
	}
}
