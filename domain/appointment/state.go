package appointment

import (
	"time"

	"ledgerdesk/domain/decider"
	"ledgerdesk/domain/money"
)

// Status is where the appointment is in its life.
type Status string

const (
	StatusNone      Status = ""
	StatusBooked    Status = "booked"
	StatusCancelled Status = "cancelled"
	StatusCompleted Status = "completed"
)

// State is the appointment as its events left it.
type State struct {
	ID            string
	PatientID     string
	ClinicianID   string
	StartsAt      time.Time
	Fee           money.Amount
	Status        Status
	WorkedAt      time.Time
	FormSubmitted bool
	SubmittedAt   time.Time
}

// Evolve folds one event into the state.
func Evolve(s State, e Event) State {
	switch e := e.(type) {
	case Booked:
		s = State{ID: e.AppointmentID, PatientID: e.PatientID, ClinicianID: e.ClinicianID,
			StartsAt: e.StartsAt, Fee: e.Fee, Status: StatusBooked}
	case Rescheduled:
		s.StartsAt = e.To
	case Cancelled:
		s.Status = StatusCancelled
	case Completed:
		s.Status = StatusCompleted
		s.WorkedAt = e.WorkedAt
	case FormSubmitted:
		s.FormSubmitted = true
		s.SubmittedAt = e.SubmittedAt
	}
	return s
}

// Decider runs the appointment in the command layer.
var Decider = decider.Decider[State, Command, Event]{
	Initial: func() State { return State{} },
	Decide:  Decide,
	Evolve:  Evolve,
}
