package authz

import (
	"errors"
	"testing"
)

func TestAuditorsReadEverythingAndChangeNothing(t *testing.T) {
	auditor := Actor{Subject: "au", Role: Auditor}
	for action, roles := range rules {
		_, may := roles[Auditor]
		reads := map[Action]bool{ReadAppointment: true, ReadInvoice: true, ReadEarnings: true, ReadPayouts: true, ReadV1: true, ReadTicket: true, ReadProjectionStatus: true, ReadOwnProfile: true}
		if may != reads[action] {
			t.Errorf("auditor may %s = %v, want %v", action, may, reads[action])
		}
		if err := Authorize(auditor, action, Resource{}); may && err != nil {
			t.Errorf("auditor %s: %v", action, err)
		}
	}
}

func TestOwnershipScopes(t *testing.T) {
	cases := []struct {
		actor  Actor
		action Action
		res    Resource
		ok     bool
	}{
		{Actor{"c1", Clinician}, ReadEarnings, Resource{ClinicianID: "c1"}, true},
		{Actor{"c1", Clinician}, ReadEarnings, Resource{ClinicianID: "c2"}, false},
		{Actor{"p1", Patient}, ReadInvoice, Resource{PatientID: "p1"}, true},
		{Actor{"p1", Patient}, ReadInvoice, Resource{PatientID: "p2"}, false},
		{Actor{"p1", Patient}, ReadInvoice, Resource{}, false},
		{Actor{"a1", Accounts}, RunPayout, Resource{}, true},
		{Actor{"x", Admin}, RunPayout, Resource{}, false},
		{Actor{"a1", Accounts}, TickOffV1, Resource{}, true},
		{Actor{"s1", SupportAgent}, ReadInternalNotes, Resource{}, true},
		{Actor{"p1", Patient}, ReadInternalNotes, Resource{OwnerID: "p1"}, false},
		{Actor{"au", Auditor}, TickOffV1, Resource{}, false},
		{Actor{"au", Auditor}, ReadV1, Resource{}, true},
		{Actor{"p1", Patient}, ChangeTicketStatus, Resource{OwnerID: "p1"}, true},
		{Actor{"p1", Patient}, ChangeTicketStatus, Resource{OwnerID: "p2"}, false},
		{Actor{"p1", Patient}, WriteInternalNote, Resource{OwnerID: "p1"}, false},
		{Actor{"p1", Patient}, ReadTicket, Resource{}, false},
		{Actor{"", Admin}, ReadInvoice, Resource{}, false},
		{Actor{"x", "boss"}, ReadInvoice, Resource{}, false},
	}
	for _, c := range cases {
		err := Authorize(c.actor, c.action, c.res)
		if (err == nil) != c.ok {
			t.Errorf("%+v %s %+v: %v, want allowed=%v", c.actor, c.action, c.res, err, c.ok)
		}
		if err != nil && !errors.Is(err, ErrForbidden) && !errors.Is(err, ErrUnauthenticated) {
			t.Errorf("%v does not wrap ErrForbidden or ErrUnauthenticated", err)
		}
	}
}
