package appointment

import (
	"errors"

	"ledgerdesk/domain/check"
)

// Every rejection wraps one of these (ErrInvalidInput wraps check.ErrInvalidInput, the
// sentinel shared by every aggregate), so callers can branch with errors.Is and still show the
// wrapped message, which names the field and the reason.
var (
	ErrInvalidInput         = check.Sentinel("appointment")
	ErrUnknownCommand       = errors.New("appointment: unknown command")
	ErrAlreadyBooked        = errors.New("appointment: already booked")
	ErrNotBooked            = errors.New("appointment: no such appointment has been booked")
	ErrWrongAppointment     = errors.New("appointment: command is for a different appointment")
	ErrCancelled            = errors.New("appointment: appointment was cancelled")
	ErrAlreadyCompleted     = errors.New("appointment: appointment is already completed")
	ErrNotCompleted         = errors.New("appointment: appointment has not been completed")
	ErrNotYourAppointment   = errors.New("appointment: only the appointment's clinician may do this")
	ErrFormAlreadySubmitted = errors.New("appointment: post-consultation form already submitted")
)
