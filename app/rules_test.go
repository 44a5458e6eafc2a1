package app

import (
	"errors"
	"testing"

	"ledgerdesk/app/authz"
)

func TestAuditorsReadAndChangeNothing(t *testing.T) {
	auditor := authz.Actor{Subject: "au", Role: authz.Auditor}
	reads := 0
	for _, s := range Operations() {
		may := s.Rule.Allows(authz.Auditor)
		if may && s.Kind != Query {
			t.Errorf("an auditor may %s, which changes things", s.Action)
		}
		if may {
			reads++
			if err := s.Rule.Check(auditor, s.Action, authz.Resource{}); err != nil {
				t.Errorf("auditor reading %s: %v", s.Action, err)
			}
		}
	}
	for _, action := range []string{"appointment.read", "invoice.read", "earnings.read", "payout.read", "v1.read", "ticket.read", "projections.read"} {
		if !Allowed(authz.Auditor, action) {
			t.Errorf("an auditor may not %s", action)
		}
	}
	if reads < 7 {
		t.Errorf("auditors read only %d things", reads)
	}
}

func TestOnlyTheAccountsDepartmentMovesMoney(t *testing.T) {
	for _, action := range []string{"payout.run", "payout.export", "payout.record_bank_outcome", "payout.abandon", "v1.tick_off", "v1.undo_tick_off"} {
		s, ok := Lookup(action)
		if !ok {
			t.Fatalf("no operation %s", action)
		}
		for _, role := range append(authz.Roles(), authz.System) {
			if s.Rule.Allows(role) != (role == authz.Accounts) {
				t.Errorf("%s may %s: %v", role, action, s.Rule.Allows(role))
			}
		}
	}
}

func TestThePoliciesAloneMakeEarnings(t *testing.T) {
	for _, s := range Operations() {
		if len(s.Action) > 9 && s.Action[:9] == "earnings." && s.Kind == Command {
			for role := range s.Rule {
				if role != authz.System {
					t.Errorf("%s may %s", role, s.Action)
				}
			}
		}
	}
}

func TestOwnershipScopes(t *testing.T) {
	cases := []struct {
		actor  authz.Actor
		action string
		res    authz.Resource
		ok     bool
	}{
		{authz.Actor{Subject: "c1", Role: authz.Clinician}, "earnings.read", authz.Resource{ClinicianID: "c1"}, true},
		{authz.Actor{Subject: "c1", Role: authz.Clinician}, "earnings.read", authz.Resource{ClinicianID: "c2"}, false},
		{authz.Actor{Subject: "c1", Role: authz.Clinician}, "appointment.submit_form", authz.Resource{ClinicianID: "c2"}, false},
		{authz.Actor{Subject: "p1", Role: authz.Patient}, "invoice.read", authz.Resource{PatientID: "p1"}, true},
		{authz.Actor{Subject: "p1", Role: authz.Patient}, "invoice.read", authz.Resource{PatientID: "p2"}, false},
		{authz.Actor{Subject: "p1", Role: authz.Patient}, "invoice.read", authz.Resource{}, false},
		{authz.Actor{Subject: "a1", Role: authz.Accounts}, "payout.run", authz.Resource{}, true},
		{authz.Actor{Subject: "x", Role: authz.Admin}, "payout.run", authz.Resource{}, false},
		{authz.Actor{Subject: "s1", Role: authz.SupportAgent}, "ticket.internal_notes.read", authz.Resource{}, true},
		{authz.Actor{Subject: "p1", Role: authz.Patient}, "ticket.internal_notes.read", authz.Resource{OwnerID: "p1"}, false},
		{authz.Actor{Subject: "au", Role: authz.Auditor}, "v1.tick_off", authz.Resource{}, false},
		{authz.Actor{Subject: "p1", Role: authz.Patient}, "ticket.status.change", authz.Resource{OwnerID: "p1"}, true},
		{authz.Actor{Subject: "p1", Role: authz.Patient}, "ticket.status.change", authz.Resource{OwnerID: "p2"}, false},
		{authz.Actor{Subject: "p1", Role: authz.Patient}, "ticket.internal_notes.write", authz.Resource{OwnerID: "p1"}, false},
		{authz.Actor{Subject: "p1", Role: authz.Patient}, "ticket.read", authz.Resource{}, false},
		{authz.Actor{Subject: "", Role: authz.Admin}, "invoice.read", authz.Resource{}, false},
		{authz.Actor{Subject: "x", Role: "boss"}, "invoice.read", authz.Resource{}, false},
		{authz.Actor{Subject: "x", Role: authz.System}, "earnings.accrue", authz.Resource{}, false},
		{authz.PolicyActor("consultations"), "earnings.accrue", authz.Resource{}, true},
		{authz.PolicyActor("consultations"), "payout.run", authz.Resource{}, false},
	}
	for _, c := range cases {
		s, ok := Lookup(c.action)
		if !ok {
			t.Fatalf("no operation %s", c.action)
		}
		err := s.Rule.Check(c.actor, c.action, c.res)
		if (err == nil) != c.ok {
			t.Errorf("%+v %s %+v: %v, want allowed=%v", c.actor, c.action, c.res, err, c.ok)
		}
		if err != nil && !errors.Is(err, authz.ErrForbidden) && !errors.Is(err, authz.ErrUnauthenticated) {
			t.Errorf("%v wraps neither ErrForbidden nor ErrUnauthenticated", err)
		}
	}
}

// TestEveryAggregateCommandKnowsItsStreamAndAction: a registered command is executable by
// type alone; an unregistered one is refused before anything runs.
func TestEveryAggregateCommandKnowsItsStreamAndAction(t *testing.T) {
	if len(rows) < 15 {
		t.Fatalf("only %d aggregate commands registered", len(rows))
	}
	for typ, rw := range rows {
		if _, ok := Lookup(rw.spec.Action); !ok || rw.spec.Kind != Command {
			t.Errorf("%s: action %q is not a declared command", typ, rw.spec.Action)
		}
	}
}

// A payment is recorded by the accounts department or from the provider's confirmation
// (the system), never on the payer's own word.
func TestOnlyTheAccountsDepartmentAndTheProviderRecordPayments(t *testing.T) {
	s, ok := Lookup("invoice.record_payment")
	if !ok {
		t.Fatal("no operation invoice.record_payment")
	}
	for _, role := range append(authz.Roles(), authz.System) {
		want := role == authz.Accounts || role == authz.System
		if s.Rule.Allows(role) != want {
			t.Errorf("%s may record a payment: %v, want %v", role, s.Rule.Allows(role), want)
		}
	}
	if err := s.Rule.Check(authz.ProviderActor("stripe"), s.Action, authz.Resource{PatientID: "p1"}); err != nil {
		t.Errorf("the provider recording a payment: %v", err)
	}
}

func TestBankDetailsAreTheClinicianOwnToChangeAndAccountsSeeEveryChange(t *testing.T) {
	c1 := authz.Actor{Subject: "c1", Role: authz.Clinician}
	for _, c := range []struct {
		actor  authz.Actor
		action string
		res    authz.Resource
		ok     bool
	}{
		{c1, "account.change_payee_bank_details", authz.Resource{OwnerID: "c1"}, true},
		{c1, "account.change_payee_bank_details", authz.Resource{OwnerID: "c2"}, false},
		{authz.Actor{Subject: "a1", Role: authz.Accounts}, "account.change_payee_bank_details", authz.Resource{OwnerID: "c1"}, false},
		{authz.Actor{Subject: "x", Role: authz.Admin}, "account.change_payee_bank_details", authz.Resource{OwnerID: "c1"}, false},
		{c1, "account.payee_bank_details_changes", authz.Resource{OwnerID: "c1"}, true},
		{c1, "account.payee_bank_details_changes", authz.Resource{}, false},
		{authz.Actor{Subject: "a1", Role: authz.Accounts}, "account.payee_bank_details_changes", authz.Resource{}, true},
		{authz.Actor{Subject: "au", Role: authz.Auditor}, "account.payee_bank_details_changes", authz.Resource{}, true},
		{authz.Actor{Subject: "p1", Role: authz.Patient}, "account.payee_bank_details_changes", authz.Resource{OwnerID: "p1"}, false},
		{authz.Actor{Subject: "s1", Role: authz.SupportAgent}, "account.payee_bank_details_changes", authz.Resource{}, false},
		{c1, "account.payee_bank_details.read", authz.Resource{OwnerID: "c1"}, true},
		{c1, "account.payee_bank_details.read", authz.Resource{OwnerID: "c2"}, false},
		{authz.Actor{Subject: "a1", Role: authz.Accounts}, "account.payee_bank_details.read", authz.Resource{OwnerID: "c1"}, true},
		{authz.Actor{Subject: "p1", Role: authz.Patient}, "account.payee_bank_details.read", authz.Resource{OwnerID: "p1"}, false},
	} {
		s, _ := Lookup(c.action)
		if err := s.Rule.Check(c.actor, c.action, c.res); (err == nil) != c.ok {
			t.Errorf("%s %s on %+v: %v, want allowed=%v", c.actor.Role, c.action, c.res, err, c.ok)
		}
	}
}
