package app

import (
	"context"

	"ledgerdesk/app/authz"
	"ledgerdesk/domain/appointment"
	"ledgerdesk/projections/appointments"
)

var appointmentAggregate = aggregate[appointment.State, appointment.Command, appointment.Event]{
	decider: appointment.Decider,
	owner: func(s appointment.State) authz.Resource {
		return authz.Resource{PatientID: s.PatientID, ClinicianID: s.ClinicianID}
	},
}

// The appointment commands: one row each.
func init() {
	agg := appointmentAggregate
	mine := authz.Rule{authz.Patient: authz.OwnPatient, authz.Clinician: authz.OwnClinician, authz.Admin: authz.Any}
	on(agg, "appointment.book", mine, func(c appointment.Book) string { return appointment.StreamID(c.AppointmentID) },
		func(s appointment.State, c appointment.Book) authz.Resource {
			if s.ID == "" {
				return authz.Resource{PatientID: c.PatientID, ClinicianID: c.ClinicianID}
			}
			return agg.owner(s)
		})
	on(agg, "appointment.reschedule", mine, func(c appointment.Reschedule) string { return appointment.StreamID(c.AppointmentID) }, nil)
	on(agg, "appointment.cancel", mine, func(c appointment.Cancel) string { return appointment.StreamID(c.AppointmentID) }, nil)
	on(agg, "appointment.complete", authz.Rule{authz.Clinician: authz.OwnClinician, authz.Admin: authz.Any},
		func(c appointment.Complete) string { return appointment.StreamID(c.AppointmentID) }, nil)
	on(agg, "appointment.submit_form", authz.Rule{authz.Clinician: authz.OwnClinician},
		func(c appointment.SubmitForm) string { return appointment.StreamID(c.AppointmentID) }, nil)
}

var readAppointment = declare(query("appointment.read",
	authz.Rule{authz.Patient: authz.OwnPatient, authz.Clinician: authz.OwnClinician, authz.Accounts: authz.Any, authz.Auditor: authz.Any, authz.Admin: authz.Any}))

// Appointment is one appointment as its stream has it now, with its version (zero: there
// is no such appointment).
func (a *App) Appointment(ctx context.Context, call Call, appointmentID string) (appointment.State, uint64, error) {
	type record struct {
		s appointment.State
		v uint64
	}
	rec, err := run(ctx, a, call, readAppointment, func(ctx context.Context, r *Request) (record, error) {
		s, v, err := load(ctx, a, r, appointmentAggregate, appointment.StreamID(appointmentID))
		return record{s, v}, err
	})
	return rec.s, rec.v, err
}

// AppointmentsForClinician lists a clinician's appointments, soonest first.
func (a *App) AppointmentsForClinician(ctx context.Context, call Call, clinicianID string) ([]appointments.Row, error) {
	return run(ctx, a, call, readAppointment, func(ctx context.Context, r *Request) ([]appointments.Row, error) {
		if err := r.Authorize(authz.Resource{ClinicianID: clinicianID}); err != nil {
			return nil, err
		}
		return appointments.ForClinician(ctx, a.cfg.DB, clinicianID)
	})
}
