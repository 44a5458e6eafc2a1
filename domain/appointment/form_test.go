package appointment_test

import (
	"testing"
	"time"

	"ledgerdesk/domain/appointment"
)

func TestTheClinicianSubmitsTheFormAfterTheConsultation(t *testing.T) {
	at := feb5.Add(time.Hour)
	spec().Given(booked(), completed(feb5)).
		When(appointment.SubmitForm{AppointmentID: apptID, By: clinician, At: at}).
		Then(t, formSubmitted(at))
}

func TestOnlyTheAppointmentsClinicianMaySubmitTheForm(t *testing.T) {
	spec().Given(booked(), completed(feb5)).
		When(appointment.SubmitForm{AppointmentID: apptID, By: someone, At: feb5.Add(time.Hour)}).
		ThenError(t, appointment.ErrNotYourAppointment)
}

func TestTheFormIsSubmittedOnlyOnce(t *testing.T) {
	spec().Given(booked(), completed(feb5), formSubmitted(feb5.Add(time.Hour))).
		When(appointment.SubmitForm{AppointmentID: apptID, By: clinician, At: feb5.Add(2 * time.Hour)}).
		ThenError(t, appointment.ErrFormAlreadySubmitted)
}

func TestTheFormNeedsACompletedConsultation(t *testing.T) {
	c := appointment.SubmitForm{AppointmentID: apptID, By: clinician, At: feb5}
	spec().Given(booked()).When(c).ThenError(t, appointment.ErrNotCompleted)
	spec().Given(booked(), cancelled()).When(c).ThenError(t, appointment.ErrNotCompleted)
}

func TestTheFormNeedsWhoAndWhen(t *testing.T) {
	spec().Given(booked(), completed(feb5)).When(appointment.SubmitForm{AppointmentID: apptID, At: feb5}).ThenError(t, appointment.ErrInvalidInput)
	spec().Given(booked(), completed(feb5)).When(appointment.SubmitForm{AppointmentID: apptID, By: clinician}).ThenError(t, appointment.ErrInvalidInput)
}

func TestStateShowsTheSubmittedForm(t *testing.T) {
	at := feb5.Add(time.Hour)
	spec().Given(booked(), completed(feb5)).
		When(appointment.SubmitForm{AppointmentID: apptID, By: clinician, At: at}).
		ThenState(t, func(t testing.TB, s appointment.State) {
			if !s.FormSubmitted || !s.SubmittedAt.Equal(at) || s.Status != appointment.StatusCompleted {
				t.Fatalf("state = %+v", s)
			}
		})
}
