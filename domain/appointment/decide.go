package appointment

import "fmt"

// Decide turns a command into events, or refuses it with no events.
func Decide(s State, c Command) ([]Event, error) {
	switch c := c.(type) {
	case Book:
		return book(s, c)
	case Reschedule:
		return reschedule(s, c)
	case Cancel:
		return cancel(s, c)
	case Complete:
		return complete(s, c)
	case SubmitForm:
		return submitForm(s, c)
	default:
		return nil, fmt.Errorf("%w: %T", ErrUnknownCommand, c)
	}
}

func book(s State, c Book) ([]Event, error) {
	if err := firstError(
		checkID("appointment id", c.AppointmentID),
		checkID("patient id", c.PatientID),
		checkID("clinician id", c.ClinicianID),
		checkTime("start", c.StartsAt),
		checkFee("fee", c.Fee),
		checkTime("booked at", c.At),
	); err != nil {
		return nil, err
	}
	if s.Status != StatusNone {
		return nil, fmt.Errorf("%w: appointment %s already exists", ErrAlreadyBooked, s.ID)
	}
	return []Event{Booked{
		AppointmentID: c.AppointmentID,
		PatientID:     c.PatientID,
		ClinicianID:   c.ClinicianID,
		StartsAt:      c.StartsAt.UTC(),
		Fee:           canonical(c.Fee),
		BookedAt:      c.At.UTC(),
	}}, nil
}

// existing checks that the command is addressed to this, booked, appointment.
func existing(s State, id string) error {
	if err := checkID("appointment id", id); err != nil {
		return err
	}
	if s.Status == StatusNone {
		return fmt.Errorf("%w: appointment %s", ErrNotBooked, id)
	}
	if id != s.ID {
		return fmt.Errorf("%w: field appointment id: %s, but this is appointment %s", ErrWrongAppointment, id, s.ID)
	}
	return nil
}

// stillBooked refuses anything but a booked appointment, naming what it is instead.
func stillBooked(s State, doing string) error {
	switch s.Status {
	case StatusCancelled:
		return fmt.Errorf("%w: cannot %s a cancelled appointment", ErrCancelled, doing)
	case StatusCompleted:
		return fmt.Errorf("%w: cannot %s an appointment that has taken place", ErrAlreadyCompleted, doing)
	}
	return nil
}

// reschedule to the start the appointment already has is a no-op, so a repeated request
// does not clutter the history.
func reschedule(s State, c Reschedule) ([]Event, error) {
	if err := firstError(
		existing(s, c.AppointmentID),
		checkTime("new start", c.StartsAt),
		checkTime("rescheduled at", c.At),
	); err != nil {
		return nil, err
	}
	if err := stillBooked(s, "reschedule"); err != nil {
		return nil, err
	}
	if c.StartsAt.Equal(s.StartsAt) {
		return nil, nil
	}
	return []Event{Rescheduled{AppointmentID: s.ID, From: s.StartsAt, To: c.StartsAt.UTC(), RescheduledAt: c.At.UTC()}}, nil
}

func cancel(s State, c Cancel) ([]Event, error) {
	if err := firstError(
		existing(s, c.AppointmentID),
		checkText("reason", c.Reason, MaxReasonLength),
		checkTime("cancelled at", c.At),
	); err != nil {
		return nil, err
	}
	switch s.Status {
	case StatusCancelled:
		return nil, fmt.Errorf("%w: it is already cancelled", ErrCancelled)
	case StatusCompleted:
		return nil, fmt.Errorf("%w: a consultation that has taken place cannot be cancelled", ErrAlreadyCompleted)
	}
	return []Event{Cancelled{AppointmentID: s.ID, PatientID: s.PatientID, Reason: c.Reason, CancelledAt: c.At.UTC()}}, nil
}

func complete(s State, c Complete) ([]Event, error) {
	if err := firstError(
		existing(s, c.AppointmentID),
		checkTime("completed at", c.At),
	); err != nil {
		return nil, err
	}
	if err := stillBooked(s, "complete"); err != nil {
		return nil, err
	}
	return []Event{Completed{
		AppointmentID: s.ID,
		PatientID:     s.PatientID,
		ClinicianID:   s.ClinicianID,
		WorkedAt:      c.At.UTC(),
		Fee:           s.Fee,
	}}, nil
}

func submitForm(s State, c SubmitForm) ([]Event, error) {
	if err := firstError(
		existing(s, c.AppointmentID),
		checkID("submitted by", c.By),
		checkTime("submitted at", c.At),
	); err != nil {
		return nil, err
	}
	if c.By != s.ClinicianID {
		return nil, fmt.Errorf("%w: field submitted by: %s is not the clinician of appointment %s", ErrNotYourAppointment, c.By, s.ID)
	}
	if s.FormSubmitted {
		return nil, fmt.Errorf("%w: appointment %s, submitted at %s", ErrFormAlreadySubmitted, s.ID, s.SubmittedAt.Format("2006-01-02 15:04"))
	}
	switch s.Status {
	case StatusCancelled:
		return nil, fmt.Errorf("%w: appointment %s was cancelled, there is no consultation to report on", ErrNotCompleted, s.ID)
	case StatusBooked:
		return nil, fmt.Errorf("%w: appointment %s: complete the consultation before submitting its form", ErrNotCompleted, s.ID)
	}
	return []Event{FormSubmitted{AppointmentID: s.ID, PatientID: s.PatientID, ClinicianID: s.ClinicianID, SubmittedAt: c.At.UTC()}}, nil
}
