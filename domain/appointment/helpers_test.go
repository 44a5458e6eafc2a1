package appointment_test

import (
	"time"

	"ledgerdesk/domain/appointment"
	"ledgerdesk/domain/decider/decidertest"
	"ledgerdesk/domain/money"
)

const (
	apptID    = "0194f3a2-0000-7000-8000-000000000001"
	patient   = "patient-1"
	clinician = "clinician-1"
	someone   = "clinician-2"
)

var (
	bookedAt = time.Date(2025, 2, 1, 9, 0, 0, 0, time.UTC)
	feb5     = time.Date(2025, 2, 5, 10, 0, 0, 0, time.UTC)
	fee      = money.GBP("250.00")
)

func spec() *decidertest.Spec[appointment.State, appointment.Command, appointment.Event] {
	return decidertest.For(appointment.Decide, appointment.Evolve)
}

func booked() appointment.Booked {
	return appointment.Booked{AppointmentID: apptID, PatientID: patient, ClinicianID: clinician,
		StartsAt: feb5, Fee: fee, BookedAt: bookedAt}
}

func completed(at time.Time) appointment.Completed {
	return appointment.Completed{AppointmentID: apptID, PatientID: patient, ClinicianID: clinician, WorkedAt: at, Fee: fee}
}

func cancelled() appointment.Cancelled {
	return appointment.Cancelled{AppointmentID: apptID, PatientID: patient, Reason: "patient unwell", CancelledAt: bookedAt.Add(time.Hour)}
}

func formSubmitted(at time.Time) appointment.FormSubmitted {
	return appointment.FormSubmitted{AppointmentID: apptID, PatientID: patient, ClinicianID: clinician, SubmittedAt: at}
}
