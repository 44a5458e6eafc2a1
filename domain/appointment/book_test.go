package appointment_test

import (
	"strings"
	"testing"
	"time"

	"ledgerdesk/domain/appointment"
	"ledgerdesk/domain/check"
	"ledgerdesk/domain/money"
)

func TestBookingRecordsPatientClinicianStartAndFee(t *testing.T) {
	spec().When(appointment.Book{AppointmentID: apptID, PatientID: patient, ClinicianID: clinician,
		StartsAt: feb5, Fee: money.GBP("250"), At: bookedAt}).
		Then(t, booked())
}

func TestBookingStoresTimesInUTC(t *testing.T) {
	london := time.FixedZone("BST", 3600)
	spec().When(appointment.Book{AppointmentID: apptID, PatientID: patient, ClinicianID: clinician,
		StartsAt: feb5.In(london), Fee: fee, At: bookedAt.In(london)}).
		Then(t, booked())
}

func TestBookingRefusesIncompleteOrInvalidDetails(t *testing.T) {
	valid := appointment.Book{AppointmentID: apptID, PatientID: patient, ClinicianID: clinician, StartsAt: feb5, Fee: fee, At: bookedAt}
	for name, mutate := range map[string]func(*appointment.Book){
		"no appointment id":    func(c *appointment.Book) { c.AppointmentID = "" },
		"blank appointment id": func(c *appointment.Book) { c.AppointmentID = "   " },
		"over-long id":         func(c *appointment.Book) { c.AppointmentID = strings.Repeat("a", check.MaxIDLength+1) },
		"no patient":           func(c *appointment.Book) { c.PatientID = "" },
		"no clinician":         func(c *appointment.Book) { c.ClinicianID = "" },
		"no start":             func(c *appointment.Book) { c.StartsAt = time.Time{} },
		"no booking time":      func(c *appointment.Book) { c.At = time.Time{} },
		"zero fee":             func(c *appointment.Book) { c.Fee = money.Zero },
		"negative fee":         func(c *appointment.Book) { c.Fee = money.GBP("-10.00") },
	} {
		t.Run(name, func(t *testing.T) {
			c := valid
			mutate(&c)
			spec().When(c).ThenError(t, appointment.ErrInvalidInput)
		})
	}
}

func TestAnAppointmentIsBookedOnlyOnce(t *testing.T) {
	spec().Given(booked()).
		When(appointment.Book{AppointmentID: apptID, PatientID: patient, ClinicianID: clinician, StartsAt: feb5, Fee: fee, At: bookedAt}).
		ThenError(t, appointment.ErrAlreadyBooked)
}

func TestCommandsNeedABookedAppointment(t *testing.T) {
	for _, c := range []appointment.Command{
		appointment.Reschedule{AppointmentID: apptID, StartsAt: feb5, At: bookedAt},
		appointment.Cancel{AppointmentID: apptID, Reason: "x", At: bookedAt},
		appointment.Complete{AppointmentID: apptID, At: feb5},
		appointment.SubmitForm{AppointmentID: apptID, By: clinician, At: feb5},
	} {
		spec().When(c).ThenError(t, appointment.ErrNotBooked)
	}
}

func TestCommandsAddressedToAnotherAppointmentAreRefused(t *testing.T) {
	other := "0194f3a2-0000-7000-8000-000000000099"
	for _, c := range []appointment.Command{
		appointment.Reschedule{AppointmentID: other, StartsAt: feb5.Add(time.Hour), At: bookedAt},
		appointment.Cancel{AppointmentID: other, Reason: "x", At: bookedAt},
		appointment.Complete{AppointmentID: other, At: feb5},
	} {
		spec().Given(booked()).When(c).ThenError(t, appointment.ErrWrongAppointment)
	}
}

func TestAnUnknownCommandIsRefused(t *testing.T) {
	spec().Given(booked()).When(nil).ThenError(t, appointment.ErrUnknownCommand)
}
