// Package appointments is the read model of appointments: what each clinician has booked,
// done and still owes a post-consultation form for.
package appointments

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"ledgerdesk/codec"
	"ledgerdesk/domain/appointment"
	"ledgerdesk/eventstore"
	"ledgerdesk/projections"
)

// Name is the projection's name; its tables live in schema proj_appointments.
const Name = "appointments"

// Projection keeps one row per appointment.
type Projection struct{ handlers *projections.Handlers }

// New decodes events with c, so personal data is read as the codec allows.
func New(c *codec.Codec) *Projection {
	return &Projection{handlers: projections.On(projections.NewHandlers(c), appointment.StreamCategory, apply)}
}

func (*Projection) Name() string { return Name }

func (*Projection) Setup(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `
		CREATE TABLE IF NOT EXISTS appointments (
			appointment_id    text PRIMARY KEY,
			patient_id        text NOT NULL,
			clinician_id      text NOT NULL,
			starts_at         timestamptz NOT NULL,
			fee               numeric(12,2) NOT NULL,
			status            text NOT NULL,
			worked_at         timestamptz,
			form_submitted_at timestamptz,
			version           bigint NOT NULL
		);
		CREATE INDEX IF NOT EXISTS appointments_by_clinician ON appointments (clinician_id, starts_at)`)
	return err
}

func (p *Projection) Apply(ctx context.Context, w projections.Writer, e eventstore.RecordedEvent) error {
	return p.handlers.Apply(ctx, w, e)
}

func apply(_ context.Context, w projections.Writer, e eventstore.RecordedEvent, ev appointment.Event) error {
	v := int64(e.Version)
	switch ev := ev.(type) {
	case appointment.Booked:
		w.Exec(`INSERT INTO appointments (appointment_id, patient_id, clinician_id, starts_at, fee, status, version)
			VALUES ($1, $2, $3, $4, $5, 'booked', $6) ON CONFLICT (appointment_id) DO NOTHING`,
			ev.AppointmentID, ev.PatientID, ev.ClinicianID, ev.StartsAt, ev.Fee.String(), v)
	case appointment.Rescheduled:
		w.Exec(`UPDATE appointments SET starts_at = $2, version = $3 WHERE appointment_id = $1`, ev.AppointmentID, ev.To, v)
	case appointment.Cancelled:
		w.Exec(`UPDATE appointments SET status = 'cancelled', version = $2 WHERE appointment_id = $1`, ev.AppointmentID, v)
	case appointment.Completed:
		w.Exec(`UPDATE appointments SET status = 'completed', worked_at = $2, version = $3 WHERE appointment_id = $1`, ev.AppointmentID, ev.WorkedAt, v)
	case appointment.FormSubmitted:
		w.Exec(`UPDATE appointments SET status = 'form_submitted', form_submitted_at = $2, version = $3 WHERE appointment_id = $1`, ev.AppointmentID, ev.SubmittedAt, v)
	}
	return nil
}

// Row is one appointment as the read model has it.
type Row struct {
	AppointmentID   string     `json:"appointment_id"`
	PatientID       string     `json:"patient_id"`
	ClinicianID     string     `json:"clinician_id"`
	StartsAt        time.Time  `json:"starts_at"`
	Fee             string     `json:"fee"`
	Status          string     `json:"status"`
	WorkedAt        *time.Time `json:"worked_at,omitempty"`
	FormSubmittedAt *time.Time `json:"form_submitted_at,omitempty"`
	Version         int64      `json:"version"`
}

// Querier is a pool, a connection or a transaction (commands/authz names it so).
type Querier = projections.Querier

// ForClinician lists a clinician's appointments, soonest first.
func ForClinician(ctx context.Context, q projections.Querier, clinicianID string) ([]Row, error) {
	rows, err := q.Query(ctx, `SELECT appointment_id, patient_id, clinician_id, starts_at, fee::text, status, worked_at, form_submitted_at, version
		FROM proj_appointments.appointments WHERE clinician_id = $1 ORDER BY starts_at, appointment_id`, clinicianID)
	if err != nil {
		return nil, fmt.Errorf("appointments of clinician %s: %w", clinicianID, err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Row])
}

// HaveMet says whether the clinician has, or had, an appointment with the patient: one
// booked, completed or written up, not one that was cancelled.
func HaveMet(ctx context.Context, q projections.Querier, clinicianID, patientID string) (bool, error) {
	var met bool
	err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM proj_appointments.appointments
		WHERE clinician_id = $1 AND patient_id = $2 AND status <> 'cancelled')`, clinicianID, patientID).Scan(&met)
	if err != nil {
		return false, fmt.Errorf("appointments of clinician %s with patient %s: %w", clinicianID, patientID, err)
	}
	return met, nil
}
