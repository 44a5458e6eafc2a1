package appointments_test

import (
	"testing"
	"time"

	"ledgerdesk/domain/appointment"
	"ledgerdesk/domain/money"
	"ledgerdesk/domain/ticket"
	"ledgerdesk/projections/appointments"
	"ledgerdesk/projections/projectiontest"
)

var (
	mar4 = time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)
)

func booked(id, clinician string, at time.Time) appointment.Booked {
	return appointment.Booked{AppointmentID: id, PatientID: "p1", ClinicianID: clinician, StartsAt: at, Fee: money.GBP("250.00"), BookedAt: at.Add(-72 * time.Hour)}
}

func one(t *testing.T, s *projectiontest.Spec, clinician string) appointments.Row {
	t.Helper()
	rows, err := appointments.ForClinician(s.Ctx, s.DB, clinician)
	s.Must(err)
	if len(rows) != 1 {
		t.Fatalf("appointments of %s = %+v, want one", clinician, rows)
	}
	return rows[0]
}

func TestABookingIsABookedRowWithItsFeeAndVersion(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, appointments.New)
	s.Given(appointment.StreamID("a1"), booked("a1", "c1", mar4))
	r := one(t, s, "c1")
	if r.AppointmentID != "a1" || r.PatientID != "p1" || r.Status != "booked" || r.Fee != "250.00" || !r.StartsAt.Equal(mar4) ||
		r.Version != 1 || r.WorkedAt != nil || r.FormSubmittedAt != nil {
		t.Fatalf("row = %+v", r)
	}
}

func TestAReschedulingMovesTheStartTime(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, appointments.New)
	later := mar4.Add(48 * time.Hour)
	s.Given(appointment.StreamID("a1"), booked("a1", "c1", mar4), appointment.Rescheduled{AppointmentID: "a1", From: mar4, To: later, RescheduledAt: mar4})
	if r := one(t, s, "c1"); !r.StartsAt.Equal(later) || r.Status != "booked" || r.Version != 2 {
		t.Fatalf("row = %+v, want booked at %s, version 2", r, later)
	}
}

func TestACancellationMarksTheRowCancelled(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, appointments.New)
	s.Given(appointment.StreamID("a1"), booked("a1", "c1", mar4), appointment.Cancelled{AppointmentID: "a1", PatientID: "p1", Reason: "unwell", CancelledAt: mar4})
	if r := one(t, s, "c1"); r.Status != "cancelled" || r.Version != 2 {
		t.Fatalf("row = %+v, want cancelled at version 2", r)
	}
}

func TestACompletionRecordsWhenTheWorkWasDone(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, appointments.New)
	worked := mar4.Add(time.Hour)
	s.Given(appointment.StreamID("a1"), booked("a1", "c1", mar4), appointment.Completed{AppointmentID: "a1", PatientID: "p1", ClinicianID: "c1", WorkedAt: worked, Fee: money.GBP("250.00")})
	if r := one(t, s, "c1"); r.Status != "completed" || r.WorkedAt == nil || !r.WorkedAt.Equal(worked) || r.FormSubmittedAt != nil {
		t.Fatalf("row = %+v, want completed at %s and no form yet", r, worked)
	}
}

func TestASubmittedFormIsRecordedOnTheRow(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, appointments.New)
	submitted := mar4.Add(2 * time.Hour)
	s.Given(appointment.StreamID("a1"), booked("a1", "c1", mar4),
		appointment.Completed{AppointmentID: "a1", PatientID: "p1", ClinicianID: "c1", WorkedAt: mar4, Fee: money.GBP("250.00")},
		appointment.FormSubmitted{AppointmentID: "a1", PatientID: "p1", ClinicianID: "c1", SubmittedAt: submitted})
	r := one(t, s, "c1")
	if r.Status != "form_submitted" || r.FormSubmittedAt == nil || !r.FormSubmittedAt.Equal(submitted) || r.WorkedAt == nil || r.Version != 3 {
		t.Fatalf("row = %+v, want the form submitted at %s, version 3", r, submitted)
	}
}

func TestAClinicianListsOnlyTheirOwnAppointmentsSoonestFirst(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, appointments.New)
	s.Given(appointment.StreamID("late"), booked("late", "c1", mar4.Add(24*time.Hour)))
	s.Given(appointment.StreamID("other"), booked("other", "c2", mar4))
	s.Given(appointment.StreamID("soon"), booked("soon", "c1", mar4))
	rows, err := appointments.ForClinician(s.Ctx, s.DB, "c1")
	s.Must(err)
	if len(rows) != 2 || rows[0].AppointmentID != "soon" || rows[1].AppointmentID != "late" {
		t.Fatalf("c1's appointments = %+v, want soon then late, not c2's", rows)
	}
}

func TestARedeliveredBookingChangesNothing(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, appointments.New)
	recs := s.Given(appointment.StreamID("a1"), booked("a1", "c1", mar4), appointment.Cancelled{AppointmentID: "a1", PatientID: "p1", CancelledAt: mar4})
	s.Apply(recs[0])
	if r := one(t, s, "c1"); r.Status != "cancelled" || r.Version != 2 {
		t.Fatalf("row = %+v after the booking came again, want it still cancelled at version 2", r)
	}
}

func TestEventsOfOtherStreamsAreIgnored(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, appointments.New)
	s.Given(ticket.StreamID("t1"), ticket.Opened{TicketID: "t1", RequesterAccountID: "r1", Category: ticket.CategoryOther, Subject: "s", Body: "b", At: mar4})
	rows, err := appointments.ForClinician(s.Ctx, s.DB, "")
	s.Must(err)
	if len(rows) != 0 {
		t.Fatalf("rows = %+v", rows)
	}
}
