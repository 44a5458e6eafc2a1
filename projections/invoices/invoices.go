// Package invoices is the read model of patients' invoices: status, total, what has been
// paid and what is outstanding, with the billable items and the payments.
//
// Item descriptions are a person's words about a patient's care and stay encrypted in the
// events; this table keeps only the figures, so erasing a patient never leaves their
// descriptions behind in a read model.
package invoices

import (
	"context"

	"github.com/jackc/pgx/v5"

	"ledgerdesk/codec"
	"ledgerdesk/domain/invoice"
	"ledgerdesk/eventstore"
	"ledgerdesk/projections"
)

// Name is the projection's name; its tables live in schema proj_invoices.
const Name = "invoices"

// Projection keeps one row per invoice, item and payment.
type Projection struct{ handlers *projections.Handlers }

// New decodes events with c.
func New(c *codec.Codec) *Projection {
	return &Projection{handlers: projections.On(projections.NewHandlers(c), invoice.StreamCategory, apply)}
}

func (*Projection) Name() string { return Name }

func (*Projection) Setup(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `
		CREATE TABLE IF NOT EXISTS invoices (
			invoice_id  text PRIMARY KEY,
			patient_id  text NOT NULL,
			status      text NOT NULL,
			total       numeric(14,2) NOT NULL DEFAULT 0,
			paid        numeric(14,2) NOT NULL DEFAULT 0,
			items       integer NOT NULL DEFAULT 0,
			raised_at   timestamptz NOT NULL,
			issued_at   timestamptz,
			paid_at     timestamptz,
			voided_at   timestamptz,
			version     bigint NOT NULL
		);
		CREATE INDEX IF NOT EXISTS invoices_by_patient ON invoices (patient_id, raised_at);
		CREATE TABLE IF NOT EXISTS invoice_items (
			invoice_id   text NOT NULL,
			item_id      text NOT NULL,
			clinician_id text NOT NULL,
			amount       numeric(14,2) NOT NULL,
			added_at     timestamptz NOT NULL,
			position     integer NOT NULL,
			PRIMARY KEY (invoice_id, item_id)
		);
		CREATE INDEX IF NOT EXISTS invoice_items_by_clinician ON invoice_items (clinician_id);
		CREATE TABLE IF NOT EXISTS invoice_payments (
			invoice_id  text NOT NULL,
			payment_id  text NOT NULL,
			amount      numeric(14,2) NOT NULL,
			paid_at     timestamptz NOT NULL,
			PRIMARY KEY (invoice_id, payment_id)
		)`)
	return err
}

func (p *Projection) Apply(ctx context.Context, w projections.Writer, e eventstore.RecordedEvent) error {
	return p.handlers.Apply(ctx, w, e)
}

func apply(_ context.Context, w projections.Writer, e eventstore.RecordedEvent, ev invoice.Event) error {
	v := int64(e.Version)
	switch ev := ev.(type) {
	case invoice.Raised:
		w.Exec(`INSERT INTO invoices (invoice_id, patient_id, status, raised_at, version) VALUES ($1, $2, 'draft', $3, $4)
			ON CONFLICT (invoice_id) DO NOTHING`, ev.InvoiceID, ev.PatientID, ev.RaisedAt, v)
	case invoice.BillableItemAdded:
		w.Exec(`INSERT INTO invoice_items (invoice_id, item_id, clinician_id, amount, added_at, position)
			VALUES ($1, $2, $3, $4, $5, (SELECT items FROM invoices WHERE invoice_id = $1))
			ON CONFLICT (invoice_id, item_id) DO NOTHING`, ev.InvoiceID, ev.ItemID, ev.ClinicianID, ev.Amount.String(), ev.AddedAt)
		w.Exec(`UPDATE invoices SET items = items + 1, total = total + $2, version = $3 WHERE invoice_id = $1`, ev.InvoiceID, ev.Amount.String(), v)
	case invoice.Issued:
		w.Exec(`UPDATE invoices SET status = 'issued', total = $2, issued_at = $3, version = $4 WHERE invoice_id = $1`, ev.InvoiceID, ev.Total.String(), ev.IssuedAt, v)
	case invoice.PaymentRecorded:
		w.Exec(`INSERT INTO invoice_payments (invoice_id, payment_id, amount, paid_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (invoice_id, payment_id) DO NOTHING`, ev.InvoiceID, ev.PaymentID, ev.Amount.String(), ev.PaidAt)
		w.Exec(`UPDATE invoices SET paid = $2, version = $3 WHERE invoice_id = $1`, ev.InvoiceID, ev.PaidTotal.String(), v)
	case invoice.PaidInFull:
		w.Exec(`UPDATE invoices SET status = 'paid', paid_at = $2, version = $3 WHERE invoice_id = $1`, ev.InvoiceID, ev.PaidAt, v)
	case invoice.Voided:
		w.Exec(`UPDATE invoices SET status = 'voided', voided_at = $2, version = $3 WHERE invoice_id = $1`, ev.InvoiceID, ev.VoidedAt, v)
	}
	return nil
}
