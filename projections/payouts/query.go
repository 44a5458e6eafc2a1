package payouts

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/projections"
)

// ErrNotFound says the read model has no such run (it may not exist, or the projector may
// not have reached it yet).
var ErrNotFound = errors.New("payouts: no such payout run")

// Run is one payout run.
type Run struct {
	PayoutID    string       `json:"payout_id"`
	Cutoff      ledger.Date  `json:"cutoff"`
	RequestedBy string       `json:"requested_by"`
	Status      string       `json:"status"`
	Total       money.Amount `json:"total"`
	LineCount   int          `json:"line_count"`
	FailedLines int          `json:"failed_lines"`
	// PaidTotal is what the bank paid, once settled.
	PaidTotal   *money.Amount `json:"paid_total,omitempty"`
	MessageID   string        `json:"message_id,omitempty"`
	SHA256      string        `json:"sha256,omitempty"`
	Reason      string        `json:"reason,omitempty"`
	StartedAt   time.Time     `json:"started_at"`
	FinalisedAt *time.Time    `json:"finalised_at,omitempty"`
	ExportedAt  *time.Time    `json:"exported_at,omitempty"`
	SubmittedAt *time.Time    `json:"submitted_at,omitempty"`
	SettledAt   *time.Time    `json:"settled_at,omitempty"`
	AbandonedAt *time.Time    `json:"abandoned_at,omitempty"`
	Version     int64         `json:"version"`
	// Lines is filled by Get, not by List.
	Lines []Line `json:"lines,omitempty"`
}

// Line is one clinician's payment in a run.
type Line struct {
	ClinicianID string       `json:"clinician_id"`
	Amount      money.Amount `json:"amount"`
	EarningIDs  []string     `json:"earning_ids"`
	// Status is included, paid, failed or returned (the run was abandoned).
	Status     string    `json:"status"`
	FailReason string    `json:"fail_reason,omitempty"`
	AddedAt    time.Time `json:"added_at"`
}

const runColumns = `payout_id, cutoff, requested_by, status, total::text, lines, failed_lines, paid_total::text, coalesce(message_id, ''),
	coalesce(sha256, ''), coalesce(reason, ''), started_at, finalised_at, exported_at, submitted_at, settled_at, abandoned_at, version`

// List returns the runs, newest first.
func List(ctx context.Context, q projections.Querier) ([]Run, error) {
	rows, err := q.Query(ctx, `SELECT `+runColumns+` FROM proj_payouts.payouts ORDER BY started_at DESC, payout_id`)
	if err != nil {
		return nil, fmt.Errorf("listing payout runs: %w", err)
	}
	return pgx.CollectRows(rows, scanRun)
}

// Get returns one run with its lines.
func Get(ctx context.Context, q projections.Querier, payoutID string) (Run, error) {
	rows, err := q.Query(ctx, `SELECT `+runColumns+` FROM proj_payouts.payouts WHERE payout_id = $1`, payoutID)
	if err != nil {
		return Run{}, fmt.Errorf("payout run %s: %w", payoutID, err)
	}
	list, err := pgx.CollectRows(rows, scanRun)
	if err != nil {
		return Run{}, fmt.Errorf("payout run %s: %w", payoutID, err)
	}
	if len(list) == 0 {
		return Run{}, fmt.Errorf("%w: %s", ErrNotFound, payoutID)
	}
	run := list[0]
	rows, err = q.Query(ctx, `SELECT clinician_id, amount::text, earning_ids, status, coalesce(fail_reason, ''), added_at
		FROM proj_payouts.payout_lines WHERE payout_id = $1 ORDER BY position, clinician_id`, payoutID)
	if err != nil {
		return Run{}, err
	}
	run.Lines, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Line, error) {
		var l Line
		var amount string
		if err := r.Scan(&l.ClinicianID, &amount, &l.EarningIDs, &l.Status, &l.FailReason, &l.AddedAt); err != nil {
			return l, err
		}
		var err error
		l.Amount, err = money.Parse(amount)
		return l, err
	})
	return run, err
}

func scanRun(r pgx.CollectableRow) (Run, error) {
	var (
		run       Run
		cutoff    time.Time
		total     string
		paidTotal *string
	)
	if err := r.Scan(&run.PayoutID, &cutoff, &run.RequestedBy, &run.Status, &total, &run.LineCount, &run.FailedLines, &paidTotal,
		&run.MessageID, &run.SHA256, &run.Reason, &run.StartedAt, &run.FinalisedAt, &run.ExportedAt, &run.SubmittedAt,
		&run.SettledAt, &run.AbandonedAt, &run.Version); err != nil {
		return run, err
	}
	run.Cutoff = ledger.DateOf(cutoff)
	var err error
	if run.Total, err = money.Parse(total); err != nil {
		return run, err
	}
	if paidTotal != nil {
		a, err := money.Parse(*paidTotal)
		if err != nil {
			return run, err
		}
		run.PaidTotal = &a
	}
	return run, nil
}
