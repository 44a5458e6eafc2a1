package appointment

import (
	"time"

	"ledgerdesk/domain/decider"
	"ledgerdesk/domain/money"
)

// Event is one of the events below.
type Event interface {
	decider.Event
	isAppointmentEvent()
}

// Booked: a patient booked a consultation with a clinician at a fee.
type Booked struct {
	AppointmentID string       `json:"appointment_id"`
	PatientID     string       `json:"patient_id"`
	ClinicianID   string       `json:"clinician_id"`
	StartsAt      time.Time    `json:"starts_at"`
	Fee           money.Amount `json:"fee"`
	BookedAt      time.Time    `json:"booked_at"`
}

// Rescheduled: the appointment moved from one start to another.
type Rescheduled struct {
	AppointmentID string    `json:"appointment_id"`
	From          time.Time `json:"from"`
	To            time.Time `json:"to"`
	RescheduledAt time.Time `json:"rescheduled_at"`
}

// Cancelled: the appointment was called off. The reason is a person's words, so it is
// personal data of the patient and is encrypted with the patient's key.
type Cancelled struct {
	AppointmentID string    `json:"appointment_id"`
	PatientID     string    `json:"patient_id"`
	Reason        string    `json:"reason" pii:"true"`
	CancelledAt   time.Time `json:"cancelled_at"`
}

// Completed: the consultation took place. It carries everything the earnings policy needs to
// accrue the clinician's pending payment, so the policy never has to read this stream.
type Completed struct {
	AppointmentID string       `json:"appointment_id"`
	PatientID     string       `json:"patient_id"`
	ClinicianID   string       `json:"clinician_id"`
	WorkedAt      time.Time    `json:"worked_at"`
	Fee           money.Amount `json:"fee"`
}

// FormSubmitted: the clinician submitted the post-consultation form, which releases the
// consultation's pending payment.
type FormSubmitted struct {
	AppointmentID string    `json:"appointment_id"`
	PatientID     string    `json:"patient_id"`
	ClinicianID   string    `json:"clinician_id"`
	SubmittedAt   time.Time `json:"submitted_at"`
}

func (Booked) EventType() string        { return "appointment.booked.v1" }
func (Rescheduled) EventType() string   { return "appointment.rescheduled.v1" }
func (Cancelled) EventType() string     { return "appointment.cancelled.v1" }
func (Completed) EventType() string     { return "appointment.completed.v1" }
func (FormSubmitted) EventType() string { return "appointment.form_submitted.v1" }

// DataSubject says whose key encrypts the reason.
func (e Cancelled) DataSubject() string { return e.PatientID }

func (Booked) isAppointmentEvent()        {}
func (Rescheduled) isAppointmentEvent()   {}
func (Cancelled) isAppointmentEvent()     {}
func (Completed) isAppointmentEvent()     {}
func (FormSubmitted) isAppointmentEvent() {}

// EventTypes returns one zero value of every event, for the serialization registry.
func EventTypes() []Event {
	return []Event{Booked{}, Rescheduled{}, Cancelled{}, Completed{}, FormSubmitted{}}
}
