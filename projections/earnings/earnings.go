// Package earnings is the read model behind a clinician's question "where are my pending
// payments?": every earning with its status (pending, released, in a payout, paid, or V1)
// and, for each one still waiting, what it waits for — the post-consultation form, the
// patient paying the invoice, nothing ever (a voided invoice), or the old back office (V1).
//
// It follows the clinicians' earnings streams and, to explain waits on billable items, the
// invoices' status. The earnings streams remain the authority on what may be paid: the
// payout run reads them, not this table.
package earnings

import (
	"context"

	"github.com/jackc/pgx/v5"

	"ledgerdesk/codec"
	"ledgerdesk/domain/earnings"
	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/eventstore"
	"ledgerdesk/projections"
)

// Name is the projection's name; its tables live in schema proj_earnings.
const Name = "earnings"

// Projection keeps one row per earning and one per invoice it has heard of.
type Projection struct{ handlers *projections.Handlers }

// New decodes events with c.
func New(c *codec.Codec) *Projection {
	h := projections.NewHandlers(c)
	projections.On(h, earnings.StreamCategory, applyEarning)
	projections.On(h, invoice.StreamCategory, applyInvoice)
	return &Projection{handlers: h}
}

func (*Projection) Name() string { return Name }

func (*Projection) Setup(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `
		CREATE TABLE IF NOT EXISTS earnings (
			earning_id     text PRIMARY KEY,
			clinician_id   text NOT NULL,
			source_kind    text NOT NULL,
			appointment_id text,
			invoice_id     text,
			item_id        text,
			amount         numeric(14,2) NOT NULL,
			work_date      date NOT NULL,
			ledger         text NOT NULL,
			status         text NOT NULL,
			accrued_at     timestamptz NOT NULL,
			release_reason text,
			released_at    timestamptz,
			v1_arrived_at  timestamptz,
			payout_id      text,
			included_at    timestamptz,
			paid_at        timestamptz,
			returned       integer NOT NULL DEFAULT 0,
			last_return    text,
			version        bigint NOT NULL
		);
		CREATE INDEX IF NOT EXISTS earnings_by_clinician ON earnings (clinician_id, status, work_date);
		CREATE INDEX IF NOT EXISTS earnings_by_invoice ON earnings (invoice_id) WHERE invoice_id IS NOT NULL;
		CREATE TABLE IF NOT EXISTS invoices (
			invoice_id  text PRIMARY KEY,
			status      text NOT NULL,
			total       numeric(14,2) NOT NULL DEFAULT 0,
			paid        numeric(14,2) NOT NULL DEFAULT 0
		)`)
	return err
}

func (p *Projection) Apply(ctx context.Context, w projections.Writer, e eventstore.RecordedEvent) error {
	return p.handlers.Apply(ctx, w, e)
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// distinct is ids without repeats, in their order. A payout's events update their
// earnings one row per statement, keyed by the earning, rather than with = ANY($1): a
// replay merges keyed updates into one statement per batch, while an update of a set of
// rows is a barrier no other write to the table may cross (see wmstore.Coalescer). An id
// listed twice is updated once, as = ANY did.
func distinct(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func applyEarning(_ context.Context, w projections.Writer, e eventstore.RecordedEvent, ev earnings.Event) error {
	v := int64(e.Version)
	switch ev := ev.(type) {
	case earnings.Accrued:
		status := earnings.StatusPending
		if ev.Ledger == ledger.V1 {
			status = earnings.StatusV1
		}
		w.Exec(`INSERT INTO earnings (earning_id, clinician_id, source_kind, appointment_id, invoice_id, item_id, amount, work_date, ledger, status, accrued_at, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (earning_id) DO NOTHING`,
			ev.EarningID, ev.ClinicianID, string(ev.Source.Kind), nullable(ev.Source.AppointmentID), nullable(ev.Source.InvoiceID), nullable(ev.Source.ItemID),
			ev.Amount.String(), ev.WorkDate.String(), string(ev.Ledger), string(status), ev.AccruedAt, v)
	case earnings.Released:
		w.Exec(`UPDATE earnings SET status = 'released', release_reason = $2, released_at = $3, version = $4 WHERE earning_id = $1`,
			ev.EarningID, string(ev.Reason), ev.ReleasedAt, v)
	case earnings.V1WorkArrived:
		w.Exec(`UPDATE earnings SET release_reason = $2, v1_arrived_at = $3, version = $4 WHERE earning_id = $1`,
			ev.EarningID, string(ev.Reason), ev.ArrivedAt, v)
	case earnings.IncludedInPayout:
		for _, id := range distinct(ev.EarningIDs) {
			w.Exec(`UPDATE earnings SET status = 'in_payout', payout_id = $2, included_at = $3, version = $4 WHERE earning_id = $1`,
				id, ev.PayoutID, ev.IncludedAt, v)
		}
	case earnings.PaidOut:
		for _, id := range distinct(ev.EarningIDs) {
			w.Exec(`UPDATE earnings SET status = 'paid', paid_at = $2, version = $3 WHERE earning_id = $1`,
				id, ev.PaidAt, v)
		}
	case earnings.ReturnedFromPayout:
		for _, id := range distinct(ev.EarningIDs) {
			w.Exec(`UPDATE earnings SET status = 'released', payout_id = NULL, included_at = NULL, returned = returned + 1, last_return = $2, version = $3 WHERE earning_id = $1`,
				id, ev.Reason, v)
		}
	}
	return nil
}

func applyInvoice(_ context.Context, w projections.Writer, _ eventstore.RecordedEvent, ev invoice.Event) error {
	switch ev := ev.(type) {
	case invoice.Raised:
		w.Exec(`INSERT INTO invoices (invoice_id, status) VALUES ($1, 'draft') ON CONFLICT (invoice_id) DO NOTHING`, ev.InvoiceID)
	case invoice.BillableItemAdded:
		w.Exec(`UPDATE invoices SET total = total + $2 WHERE invoice_id = $1`, ev.InvoiceID, ev.Amount.String())
	case invoice.Issued:
		w.Exec(`UPDATE invoices SET status = 'issued', total = $2 WHERE invoice_id = $1`, ev.InvoiceID, ev.Total.String())
	case invoice.PaymentRecorded:
		w.Exec(`UPDATE invoices SET paid = $2 WHERE invoice_id = $1`, ev.InvoiceID, ev.PaidTotal.String())
	case invoice.PaidInFull:
		w.Exec(`UPDATE invoices SET status = 'paid' WHERE invoice_id = $1`, ev.InvoiceID)
	case invoice.Voided:
		w.Exec(`UPDATE invoices SET status = 'voided' WHERE invoice_id = $1`, ev.InvoiceID)
	}
	return nil
}
