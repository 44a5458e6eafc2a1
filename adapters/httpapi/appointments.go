package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"ledgerdesk/domain/appointment"
	"ledgerdesk/domain/money"
	"ledgerdesk/projections/appointments"
)

type bookInput struct {
	CommandHeaders
	Body struct {
		AppointmentID string    `json:"appointment_id,omitempty" maxLength:"128" doc:"Optional: the client's id for the appointment; a new UUID otherwise"`
		PatientID     string    `json:"patient_id" minLength:"1" maxLength:"128"`
		ClinicianID   string    `json:"clinician_id" minLength:"1" maxLength:"128"`
		StartsAt      time.Time `json:"starts_at"`
		Fee           string    `json:"fee" pattern:"^[0-9]+(\\.[0-9]{1,2})?$" doc:"GBP, e.g. 250.00"`
	}
}

type AppointmentRef struct {
	CommandHeaders
	ID string `path:"id" maxLength:"128"`
}

type rescheduleInput struct {
	AppointmentRef
	Body struct {
		StartsAt time.Time `json:"starts_at"`
	}
}

type cancelInput struct {
	AppointmentRef
	Body struct {
		Reason string `json:"reason" maxLength:"2000"`
	}
}

type completeInput struct {
	AppointmentRef
	Body *struct {
		WorkedAt *time.Time `json:"worked_at,omitempty" doc:"When the consultation took place; now if omitted"`
	} `required:"false"`
}

// AppointmentList is a clinician's appointments.
type AppointmentList struct {
	Appointments []appointments.Row `json:"appointments"`
}

// Appointment is an appointment as its stream has it now.
type Appointment struct {
	AppointmentID string       `json:"appointment_id"`
	PatientID     string       `json:"patient_id"`
	ClinicianID   string       `json:"clinician_id"`
	StartsAt      time.Time    `json:"starts_at"`
	Fee           money.Amount `json:"fee"`
	Status        string       `json:"status"`
	WorkedAt      *time.Time   `json:"worked_at,omitempty"`
	FormSubmitted bool         `json:"form_submitted"`
	Version       uint64       `json:"version"`
}

func (a *API) registerAppointments() {
	const tag = "appointments"
	huma.Register(a.huma, op(http.MethodPost, "/api/v1/appointments", "book-appointment", "Book an appointment", tag, http.StatusCreated),
		func(ctx context.Context, in *bookInput) (*commandOutput, error) {
			fee, err := money.Parse(in.Body.Fee)
			if err != nil {
				return nil, problemFor(err)
			}
			id := in.Body.AppointmentID
			if id == "" {
				id = uuid.Must(uuid.NewV7()).String()
			}
			return a.runCommand(ctx, id, in.CommandHeaders, appointment.Book{
				AppointmentID: id, PatientID: in.Body.PatientID, ClinicianID: in.Body.ClinicianID, StartsAt: in.Body.StartsAt, Fee: fee, At: a.now()})
		})
	huma.Register(a.huma, op(http.MethodPost, "/api/v1/appointments/{id}/reschedule", "reschedule-appointment", "Move an appointment", tag, http.StatusOK),
		func(ctx context.Context, in *rescheduleInput) (*commandOutput, error) {
			return a.runCommand(ctx, in.ID, in.CommandHeaders, appointment.Reschedule{
				AppointmentID: in.ID, StartsAt: in.Body.StartsAt, At: a.now()})
		})
	huma.Register(a.huma, op(http.MethodPost, "/api/v1/appointments/{id}/cancel", "cancel-appointment", "Call an appointment off", tag, http.StatusOK),
		func(ctx context.Context, in *cancelInput) (*commandOutput, error) {
			return a.runCommand(ctx, in.ID, in.CommandHeaders, appointment.Cancel{
				AppointmentID: in.ID, Reason: in.Body.Reason, At: a.now()})
		})
	huma.Register(a.huma, op(http.MethodPost, "/api/v1/appointments/{id}/complete", "complete-appointment", "Record that the consultation took place", tag, http.StatusOK),
		func(ctx context.Context, in *completeInput) (*commandOutput, error) {
			at := a.now()
			if in.Body != nil && in.Body.WorkedAt != nil {
				at = *in.Body.WorkedAt
			}
			return a.runCommand(ctx, in.ID, in.CommandHeaders, appointment.Complete{AppointmentID: in.ID, At: at})
		})
	huma.Register(a.huma, op(http.MethodPost, "/api/v1/appointments/{id}/form", "submit-form", "Submit the post-consultation form (releases the pending fee)", tag, http.StatusOK),
		func(ctx context.Context, in *AppointmentRef) (*commandOutput, error) {
			actor, err := actorOf(ctx)
			if err != nil {
				return nil, err
			}
			return a.runCommand(ctx, in.ID, in.CommandHeaders, appointment.SubmitForm{
				AppointmentID: in.ID, By: actor.Subject, At: a.now()})
		})

	type getInput struct {
		ID string `path:"id" maxLength:"128"`
	}
	type getOutput struct {
		ETag string `header:"ETag"`
		Body Appointment
	}
	huma.Register(a.huma, op(http.MethodGet, "/api/v1/appointments/{id}", "get-appointment", "An appointment as it is now (read from its events; ETag is its version)", tag, http.StatusOK),
		func(ctx context.Context, in *getInput) (*getOutput, error) {
			call, err := callOf(ctx, nil)
			if err != nil {
				return nil, err
			}
			s, v, err := a.cfg.App.Appointment(ctx, call, in.ID)
			if err != nil {
				return nil, a.queryError(ctx, err)
			}
			if v == 0 {
				return nil, newProblem(http.StatusNotFound, TypeNotFound, "no such appointment")
			}
			out := &getOutput{ETag: etag(v), Body: Appointment{AppointmentID: s.ID, PatientID: s.PatientID, ClinicianID: s.ClinicianID,
				StartsAt: s.StartsAt, Fee: s.Fee, Status: string(s.Status), FormSubmitted: s.FormSubmitted, Version: v}}
			if !s.WorkedAt.IsZero() {
				w := s.WorkedAt
				out.Body.WorkedAt = &w
			}
			return out, nil
		})

	type listInput struct {
		ClinicianID string `path:"clinicianID" maxLength:"128"`
	}
	type listOutput struct{ Body AppointmentList }
	huma.Register(a.huma, op(http.MethodGet, "/api/v1/clinicians/{clinicianID}/appointments", "list-clinician-appointments", "A clinician's appointments, soonest first", tag, http.StatusOK),
		func(ctx context.Context, in *listInput) (*listOutput, error) {
			call, err := callOf(ctx, nil)
			if err != nil {
				return nil, err
			}
			rows, err := a.cfg.App.AppointmentsForClinician(ctx, call, in.ClinicianID)
			if err != nil {
				return nil, a.queryError(ctx, err)
			}
			out := &listOutput{}
			out.Body.Appointments = rows
			if out.Body.Appointments == nil {
				out.Body.Appointments = []appointments.Row{}
			}
			return out, nil
		})
}
