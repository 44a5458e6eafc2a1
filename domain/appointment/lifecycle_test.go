package appointment_test

import (
	"testing"
	"time"

	"ledgerdesk/domain/appointment"
)

func TestRescheduleMovesTheStart(t *testing.T) {
	to := feb5.Add(48 * time.Hour)
	spec().Given(booked()).
		When(appointment.Reschedule{AppointmentID: apptID, StartsAt: to, At: bookedAt.Add(time.Hour)}).
		Then(t, appointment.Rescheduled{AppointmentID: apptID, From: feb5, To: to, RescheduledAt: bookedAt.Add(time.Hour)})
}

func TestRescheduleToTheSameStartChangesNothing(t *testing.T) {
	spec().Given(booked()).
		When(appointment.Reschedule{AppointmentID: apptID, StartsAt: feb5, At: bookedAt.Add(time.Hour)}).
		Then(t)
}

func TestRescheduleOnlyWhileBooked(t *testing.T) {
	c := appointment.Reschedule{AppointmentID: apptID, StartsAt: feb5.Add(time.Hour), At: feb5}
	spec().Given(booked(), cancelled()).When(c).ThenError(t, appointment.ErrCancelled)
	spec().Given(booked(), completed(feb5)).When(c).ThenError(t, appointment.ErrAlreadyCompleted)
	spec().Given(booked()).When(appointment.Reschedule{AppointmentID: apptID, At: feb5}).ThenError(t, appointment.ErrInvalidInput)
}

func TestCancelRecordsTheReason(t *testing.T) {
	spec().Given(booked()).
		When(appointment.Cancel{AppointmentID: apptID, Reason: "patient unwell", At: bookedAt.Add(time.Hour)}).
		Then(t, cancelled())
}

func TestCancelNeedsAReasonAndATime(t *testing.T) {
	spec().Given(booked()).When(appointment.Cancel{AppointmentID: apptID, Reason: " ", At: feb5}).ThenError(t, appointment.ErrInvalidInput)
	spec().Given(booked()).When(appointment.Cancel{AppointmentID: apptID, Reason: "x"}).ThenError(t, appointment.ErrInvalidInput)
}

func TestACompletedConsultationCannotBeCancelled(t *testing.T) {
	spec().Given(booked(), completed(feb5)).
		When(appointment.Cancel{AppointmentID: apptID, Reason: "x", At: feb5.Add(time.Hour)}).
		ThenError(t, appointment.ErrAlreadyCompleted)
}

func TestCancellingTwiceIsRefused(t *testing.T) {
	spec().Given(booked(), cancelled()).
		When(appointment.Cancel{AppointmentID: apptID, Reason: "x", At: feb5}).
		ThenError(t, appointment.ErrCancelled)
}

func TestCompletionCarriesClinicianFeeAndWorkTime(t *testing.T) {
	worked := feb5.Add(50 * time.Minute)
	spec().Given(booked()).
		When(appointment.Complete{AppointmentID: apptID, At: worked}).
		Then(t, completed(worked))
}

func TestCompletionUsesTheFeeAfterARescheduleToo(t *testing.T) {
	to := feb5.Add(24 * time.Hour)
	spec().Given(booked(), appointment.Rescheduled{AppointmentID: apptID, From: feb5, To: to, RescheduledAt: feb5}).
		When(appointment.Complete{AppointmentID: apptID, At: to}).
		Then(t, completed(to))
}

func TestAConsultationIsCompletedOnlyOnce(t *testing.T) {
	spec().Given(booked(), completed(feb5)).
		When(appointment.Complete{AppointmentID: apptID, At: feb5.Add(time.Hour)}).
		ThenError(t, appointment.ErrAlreadyCompleted)
}

func TestACancelledAppointmentCannotBeCompleted(t *testing.T) {
	spec().Given(booked(), cancelled()).
		When(appointment.Complete{AppointmentID: apptID, At: feb5}).
		ThenError(t, appointment.ErrCancelled)
}

func TestCompletionNeedsTheWorkTime(t *testing.T) {
	spec().Given(booked()).When(appointment.Complete{AppointmentID: apptID}).ThenError(t, appointment.ErrInvalidInput)
}
