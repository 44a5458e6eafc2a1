// Package v1recon is the accounts department's reconciliation of the legacy back office
// (V1) with V2: every imported V1 item and whether it is settled, the import conflicts,
// and the exceptions, where V1 and V2 overlap: V1 work that reached V2, V1 work that V2
// also released or paid, and V1 items dated on or after go-live.
//
// The projection keeps what it needs of V2 too (each earning with its work date and
// whether it was released or paid, and the patient of each appointment and invoice), so
// that a V1 item can be matched with V2 work by clinician, patient and work date. The
// report is a pure query over these tables, ordered on complete keys, so that it is the
// same, byte for byte, however often and from whichever history position it is rebuilt.
package v1recon

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"ledgerdesk/codec"
	"ledgerdesk/domain/appointment"
	"ledgerdesk/domain/cutover"
	"ledgerdesk/domain/decider"
	"ledgerdesk/domain/earnings"
	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/v1item"
	"ledgerdesk/eventstore"
	"ledgerdesk/projections"
)

// Name is the projection's name; its tables live in schema proj_v1recon.
const Name = "v1recon"

// Projection builds the reconciliation tables.
type Projection struct{ handlers *projections.Handlers }

// New decodes events with c, so personal data is read as the codec allows.
func New(c *codec.Codec) *Projection {
	h := projections.NewHandlers(c)
	for _, category := range categories {
		projections.On(h, category, apply)
	}
	return &Projection{handlers: h}
}

func (*Projection) Name() string { return Name }

func (*Projection) Setup(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `
		CREATE TABLE IF NOT EXISTS go_live (
			one        boolean PRIMARY KEY DEFAULT true CHECK (one),
			go_live    date NOT NULL,
			cutover_at timestamptz
		);
		CREATE TABLE IF NOT EXISTS items (
			reference         text PRIMARY KEY,
			clinician_id      text NOT NULL,
			clinician_name    text NOT NULL,
			patient_reference text NOT NULL,
			work_date         date NOT NULL,
			description       text NOT NULL,
			amount            numeric(12,2) NOT NULL,
			status            text NOT NULL,
			ledger            text NOT NULL,
			source_file       text NOT NULL,
			source_line       integer NOT NULL,
			imported_at       timestamptz NOT NULL,
			ticked_by         text,
			ticked_at         timestamptz,
			version           bigint NOT NULL
		);
		CREATE INDEX IF NOT EXISTS items_by_work ON items (clinician_id, patient_reference, work_date);
		CREATE TABLE IF NOT EXISTS conflicts (
			reference     text NOT NULL,
			version       bigint NOT NULL,
			fields        text NOT NULL,
			with_existing boolean NOT NULL,
			variants      jsonb NOT NULL,
			source_file   text NOT NULL,
			recorded_by   text NOT NULL,
			recorded_at   timestamptz NOT NULL,
			PRIMARY KEY (reference, version)
		);
		CREATE TABLE IF NOT EXISTS earnings (
			earning_id        text PRIMARY KEY,
			clinician_id      text NOT NULL,
			source_kind       text NOT NULL,
			appointment_id    text NOT NULL DEFAULT '',
			invoice_id        text NOT NULL DEFAULT '',
			item_id           text NOT NULL DEFAULT '',
			work_date         date,
			ledger            text,
			amount            numeric(12,2) NOT NULL,
			released_at       timestamptz,
			paid_at           timestamptz,
			payout_id         text,
			v1_arrived_at     timestamptz,
			v1_arrived_reason text
		);
		CREATE INDEX IF NOT EXISTS earnings_by_work ON earnings (clinician_id, work_date);
		CREATE TABLE IF NOT EXISTS appointment_patients (appointment_id text PRIMARY KEY, patient_id text NOT NULL);
		CREATE TABLE IF NOT EXISTS invoice_patients (invoice_id text PRIMARY KEY, patient_id text NOT NULL)`)
	return err
}

// categories are the streams this projection reads.
var categories = []string{
	v1item.StreamCategory, earnings.StreamCategory, appointment.StreamCategory,
	invoice.StreamCategory, eventstore.Category(cutover.StreamID),
}

func (p *Projection) Apply(ctx context.Context, w projections.Writer, e eventstore.RecordedEvent) error {
	return p.handlers.Apply(ctx, w, e)
}

func apply(_ context.Context, w projections.Writer, e eventstore.RecordedEvent, ev decider.Event) error {
	v := int64(e.Version)
	switch ev := ev.(type) {
	case cutover.GoLiveScheduled:
		setGoLive(w, ev.Date.String())
	case cutover.GoLiveRescheduled:
		setGoLive(w, ev.To.String())
	case cutover.CutoverHappened:
		setGoLive(w, ev.GoLive.String())
		w.Exec(`UPDATE go_live SET cutover_at = $1`, ev.StartedAt)

	case v1item.V1ItemImported:
		w.Exec(`INSERT INTO items (reference, clinician_id, clinician_name, patient_reference, work_date, description,
				amount, status, ledger, source_file, source_line, imported_at, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (reference) DO NOTHING`,
			ev.Reference, ev.ClinicianID, ev.ClinicianName, ev.PatientReference, ev.WorkDate.String(), ev.Description,
			ev.Amount.String(), string(ev.Status), string(ev.Ledger), ev.SourceFile, ev.SourceLine, ev.At, v)
	case v1item.TickedOff:
		w.Exec(`UPDATE items SET ticked_by = $2, ticked_at = $3, version = $4 WHERE reference = $1`, ev.Reference, ev.By, ev.At, v)
	case v1item.TickOffUndone:
		w.Exec(`UPDATE items SET ticked_by = NULL, ticked_at = NULL, version = $2 WHERE reference = $1`, ev.Reference, v)
	case v1item.ImportConflictRecorded:
		variants, err := json.Marshal(ev.Variants)
		if err != nil {
			return err
		}
		w.Exec(`INSERT INTO conflicts (reference, version, fields, with_existing, variants, source_file, recorded_by, recorded_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
			ev.Reference, v, strings.Join(ev.Fields, ","), ev.WithExisting, string(variants), ev.SourceFile, ev.RecordedBy, ev.At)

	case earnings.Accrued:
		upsertEarning(w, ev.EarningID, ev.ClinicianID, ev.Source, ev.Amount.String())
		w.Exec(`UPDATE earnings SET work_date = $2, ledger = $3 WHERE earning_id = $1`, ev.EarningID, ev.WorkDate.String(), string(ev.Ledger))
	case earnings.Released:
		upsertEarning(w, ev.EarningID, ev.ClinicianID, ev.Source, ev.Amount.String())
		w.Exec(`UPDATE earnings SET released_at = $2 WHERE earning_id = $1`, ev.EarningID, ev.ReleasedAt)
	case earnings.V1WorkArrived:
		upsertEarning(w, ev.EarningID, ev.ClinicianID, ev.Source, ev.Amount.String())
		w.Exec(`UPDATE earnings SET work_date = $2, ledger = 'v1', v1_arrived_at = $3, v1_arrived_reason = $4 WHERE earning_id = $1`,
			ev.EarningID, ev.WorkDate.String(), ev.ArrivedAt, string(ev.Reason))
	case earnings.PaidOut:
		w.Exec(`UPDATE earnings SET paid_at = $2, payout_id = $3 WHERE earning_id = ANY($1)`, ev.EarningIDs, ev.PaidAt, ev.PayoutID)

	case appointment.Booked:
		w.Exec(`INSERT INTO appointment_patients (appointment_id, patient_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, ev.AppointmentID, ev.PatientID)
	case invoice.Raised:
		w.Exec(`INSERT INTO invoice_patients (invoice_id, patient_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, ev.InvoiceID, ev.PatientID)
	}
	return nil
}

func setGoLive(w projections.Writer, date string) {
	w.Exec(`INSERT INTO go_live (go_live) VALUES ($1) ON CONFLICT (one) DO UPDATE SET go_live = EXCLUDED.go_live`, date)
}

func upsertEarning(w projections.Writer, id, clinician string, src earnings.Source, amount string) {
	w.Exec(`INSERT INTO earnings (earning_id, clinician_id, source_kind, appointment_id, invoice_id, item_id, amount)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (earning_id) DO NOTHING`,
		id, clinician, string(src.Kind), src.AppointmentID, src.InvoiceID, src.ItemID, amount)
}

// utc keeps every time in the report in one zone, whatever the session's.
func utc(t time.Time) time.Time { return t.UTC() }
