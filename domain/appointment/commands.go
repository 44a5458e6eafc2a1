package appointment

import (
	"time"

	"ledgerdesk/domain/money"
)

// Command is one of the commands below; the set is closed so Decide can be exhaustive.
type Command interface{ isAppointmentCommand() }

// Book creates the appointment. StartsAt is the scheduled start; Fee is what the clinician
// will earn for the consultation once it is completed and the form submitted.
type Book struct {
	AppointmentID string
	PatientID     string
	ClinicianID   string
	StartsAt      time.Time
	Fee           money.Amount
	At            time.Time
}

// Reschedule moves a booked appointment to a new start.
type Reschedule struct {
	AppointmentID string
	StartsAt      time.Time
	At            time.Time
}

// Cancel calls the appointment off. Reason is free text written by a person.
type Cancel struct {
	AppointmentID string
	Reason        string
	At            time.Time
}

// Complete records that the consultation took place; At is when the work was done, and its
// Europe/London date decides the V1/V2 ledger of the earning.
type Complete struct {
	AppointmentID string
	At            time.Time
}

// SubmitForm records the post-consultation form, submitted By a clinician.
type SubmitForm struct {
	AppointmentID string
	By            string
	At            time.Time
}

func (Book) isAppointmentCommand()       {}
func (Reschedule) isAppointmentCommand() {}
func (Cancel) isAppointmentCommand()     {}
func (Complete) isAppointmentCommand()   {}
func (SubmitForm) isAppointmentCommand() {}
