// Package payouts is the read model of payout runs and their lines: what each run pays,
// to whom, where it stands with the bank, and which lines failed.
//
// The payee's bank details are personal data and stay encrypted in the payout events; the
// table keeps the figures and the status only.
package payouts

import (
	"context"

	"github.com/jackc/pgx/v5"

	"ledgerdesk/codec"
	"ledgerdesk/domain/payout"
	"ledgerdesk/eventstore"
	"ledgerdesk/projections"
)

// Name is the projection's name; its tables live in schema proj_payouts.
const Name = "payouts"

// Projection keeps one row per run and one per line.
type Projection struct{ handlers *projections.Handlers }

// New decodes events with c.
func New(c *codec.Codec) *Projection {
	return &Projection{handlers: projections.On(projections.NewHandlers(c), payout.StreamCategory, apply)}
}

func (*Projection) Name() string { return Name }

func (*Projection) Setup(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `
		CREATE TABLE IF NOT EXISTS payouts (
			payout_id     text PRIMARY KEY,
			cutoff        date NOT NULL,
			requested_by  text NOT NULL,
			status        text NOT NULL,
			total         numeric(14,2) NOT NULL DEFAULT 0,
			lines         integer NOT NULL DEFAULT 0,
			failed_lines  integer NOT NULL DEFAULT 0,
			paid_total    numeric(14,2),
			message_id    text,
			sha256        text,
			reason        text,
			started_at    timestamptz NOT NULL,
			finalised_at  timestamptz,
			exported_at   timestamptz,
			submitted_at  timestamptz,
			settled_at    timestamptz,
			abandoned_at  timestamptz,
			version       bigint NOT NULL
		);
		CREATE TABLE IF NOT EXISTS payout_lines (
			payout_id    text NOT NULL,
			clinician_id text NOT NULL,
			amount       numeric(14,2) NOT NULL,
			earning_ids  text[] NOT NULL,
			status       text NOT NULL,
			fail_reason  text,
			added_at     timestamptz NOT NULL,
			position     integer NOT NULL,
			PRIMARY KEY (payout_id, clinician_id)
		);
		CREATE INDEX IF NOT EXISTS payout_lines_by_clinician ON payout_lines (clinician_id)`)
	return err
}

func (p *Projection) Apply(ctx context.Context, w projections.Writer, e eventstore.RecordedEvent) error {
	return p.handlers.Apply(ctx, w, e)
}

func apply(_ context.Context, w projections.Writer, e eventstore.RecordedEvent, ev payout.Event) error {
	v := int64(e.Version)
	switch ev := ev.(type) {
	case payout.Started:
		w.Exec(`INSERT INTO payouts (payout_id, cutoff, requested_by, status, started_at, version) VALUES ($1, $2, $3, 'drafting', $4, $5)
			ON CONFLICT (payout_id) DO NOTHING`, ev.PayoutID, ev.Cutoff.String(), ev.RequestedBy, ev.StartedAt, v)
	case payout.LineAdded:
		w.Exec(`INSERT INTO payout_lines (payout_id, clinician_id, amount, earning_ids, status, added_at, position)
			VALUES ($1, $2, $3, $4, 'included', $5, (SELECT lines FROM payouts WHERE payout_id = $1))
			ON CONFLICT (payout_id, clinician_id) DO NOTHING`, ev.PayoutID, ev.ClinicianID, ev.Amount.String(), ev.EarningIDs, ev.AddedAt)
		w.Exec(`UPDATE payouts SET lines = lines + 1, total = total + $2, version = $3 WHERE payout_id = $1`, ev.PayoutID, ev.Amount.String(), v)
	case payout.Finalised:
		w.Exec(`UPDATE payouts SET status = 'finalised', total = $2, finalised_at = $3, version = $4 WHERE payout_id = $1`, ev.PayoutID, ev.Total.String(), ev.FinalisedAt, v)
	case payout.Exported:
		w.Exec(`UPDATE payouts SET status = 'exported', message_id = $2, sha256 = $3, exported_at = $4, version = $5 WHERE payout_id = $1`,
			ev.PayoutID, ev.MessageID, ev.SHA256, ev.ExportedAt, v)
	case payout.Submitted:
		w.Exec(`UPDATE payouts SET status = 'submitted', submitted_at = $2, version = $3 WHERE payout_id = $1`, ev.PayoutID, ev.SubmittedAt, v)
	case payout.LineFailed:
		w.Exec(`UPDATE payout_lines SET status = 'failed', fail_reason = $3 WHERE payout_id = $1 AND clinician_id = $2`, ev.PayoutID, ev.ClinicianID, ev.Reason)
		w.Exec(`UPDATE payouts SET failed_lines = failed_lines + 1, version = $2 WHERE payout_id = $1`, ev.PayoutID, v)
	case payout.Settled:
		w.Exec(`UPDATE payout_lines SET status = 'paid' WHERE payout_id = $1 AND status = 'included'`, ev.PayoutID)
		w.Exec(`UPDATE payouts SET status = 'settled', paid_total = $2, settled_at = $3, version = $4 WHERE payout_id = $1`, ev.PayoutID, ev.Total.String(), ev.SettledAt, v)
	case payout.Abandoned:
		w.Exec(`UPDATE payout_lines SET status = 'returned' WHERE payout_id = $1`, ev.PayoutID)
		w.Exec(`UPDATE payouts SET status = 'abandoned', reason = $2, abandoned_at = $3, version = $4 WHERE payout_id = $1`, ev.PayoutID, ev.Reason, ev.AbandonedAt, v)
	}
	return nil
}
