package app

import (
	"context"
	"io"
	"time"

	"ledgerdesk/app/authz"
	cpayouts "ledgerdesk/commands/payouts"
	"ledgerdesk/domain/earnings"
	pearnings "ledgerdesk/projections/earnings"
	ppayouts "ledgerdesk/projections/payouts"
)

var earningsAggregate = aggregate[earnings.State, earnings.Command, earnings.Event]{
	decider: earnings.Decider,
	owner:   func(s earnings.State) authz.Resource { return authz.Resource{ClinicianID: s.ClinicianID} },
}

// ToEarnings addresses an earnings command to the clinician's earnings (not every one names
// the clinician).
func ToEarnings(clinicianID string, cmd earnings.Command) Addressed {
	return Addressed{Stream: earnings.StreamID(clinicianID), Command: cmd}
}

// The earnings commands: the policies issue them, as the system, in reaction to
// appointments, invoices and payouts; nobody issues them by hand.
func init() {
	agg := earningsAggregate
	policies := authz.Rule{authz.System: authz.Any}
	onAddressed[earnings.Accrue](agg, "earnings.accrue", policies)
	onAddressed[earnings.Release](agg, "earnings.release", policies)
	onAddressed[earnings.IncludeInPayout](agg, "earnings.include_in_payout", policies)
	onAddressed[earnings.MarkPaid](agg, "earnings.mark_paid", policies)
	onAddressed[earnings.ReturnFromPayout](agg, "earnings.return_from_payout", policies)
}

var (
	readEarnings = declare(query("earnings.read",
		authz.Rule{authz.Clinician: authz.OwnClinician, authz.Accounts: authz.Any, authz.Auditor: authz.Any, authz.Admin: authz.Any}))
	readPayouts = declare(query("payout.read",
		authz.Rule{authz.Accounts: authz.Any, authz.Auditor: authz.Any, authz.Admin: authz.Any}))
	// Only the accounts department moves money.
	accountsOnly  = authz.Rule{authz.Accounts: authz.Any}
	runPayout     = declare(command("payout.run", accountsOnly))
	exportPayout  = declare(command("payout.export", accountsOnly))
	settlePayout  = declare(command("payout.record_bank_outcome", accountsOnly))
	abandonPayout = declare(command("payout.abandon", accountsOnly))
)

// Earnings is a clinician's pending (and why), voided, released, in-payout and paid
// money, every month: Payments with no month.
func (a *App) Earnings(ctx context.Context, call Call, clinicianID string) (pearnings.Summary, error) {
	return a.Payments(ctx, call, PaymentsQuery{ClinicianID: clinicianID})
}

// Payouts lists the payout runs, newest first.
func (a *App) Payouts(ctx context.Context, call Call) ([]ppayouts.Run, error) {
	return run(ctx, a, call, readPayouts, func(ctx context.Context, _ *Request) ([]ppayouts.Run, error) {
		return ppayouts.List(ctx, a.cfg.DB)
	})
}

// Payout is one payout run with its lines.
func (a *App) Payout(ctx context.Context, call Call, payoutID string) (ppayouts.Run, error) {
	return run(ctx, a, call, readPayouts, func(ctx context.Context, _ *Request) (ppayouts.Run, error) {
		return ppayouts.Get(ctx, a.cfg.DB, payoutID)
	})
}

// RunPayout starts (or resumes) a payout run. The caller is recorded as who asked for it.
func (a *App) RunPayout(ctx context.Context, call Call, req cpayouts.RunRequest) (cpayouts.RunReport, error) {
	return run(ctx, a, call, runPayout, func(ctx context.Context, r *Request) (cpayouts.RunReport, error) {
		req.RequestedBy, req.CorrelationID = r.Actor.Subject, r.CorrelationID
		if req.At.IsZero() {
			req.At = r.Now
		}
		// The deployment's cooling-off period, whatever the door asked: no caller shortens it.
		req.CoolingOff = a.cfg.PayeeCoolingOff
		return cpayouts.Run(ctx, a.cfg.Commands, a.cfg.Payouts, req)
	})
}

// ExportPayout writes a finalised run's bank file to w and records it on the run.
func (a *App) ExportPayout(ctx context.Context, call Call, req cpayouts.ExportRequest, w io.Writer) (cpayouts.ExportReport, error) {
	return run(ctx, a, call, exportPayout, func(ctx context.Context, r *Request) (cpayouts.ExportReport, error) {
		req.By, req.CorrelationID = r.Actor.Subject, r.CorrelationID
		if req.At.IsZero() {
			req.At = r.Now
		}
		return cpayouts.Export(ctx, a.cfg.Commands, a.cfg.Bank, req, w)
	})
}

// BankOutcome is what the bank said about a submitted run.
type BankOutcome int

const (
	Submitted BankOutcome = iota + 1
	Settled
)

// RecordBankOutcome records that a run's file went to the bank, or that the bank paid it.
func (a *App) RecordBankOutcome(ctx context.Context, call Call, payoutID string, outcome BankOutcome, at time.Time) error {
	_, err := run(ctx, a, call, settlePayout, func(ctx context.Context, r *Request) (struct{}, error) {
		mark := cpayouts.MarkSubmitted
		if outcome == Settled {
			mark = cpayouts.MarkSettled
		}
		return struct{}{}, mark(ctx, a.cfg.Commands, payoutID, at, r.Meta)
	})
	return err
}

// FailPayoutLine records that the bank returned a clinician's line: its earnings go back
// to released, for a later run.
func (a *App) FailPayoutLine(ctx context.Context, call Call, payoutID, clinicianID, reason string, at time.Time) error {
	_, err := run(ctx, a, call, settlePayout, func(ctx context.Context, r *Request) (struct{}, error) {
		return struct{}{}, cpayouts.FailLine(ctx, a.cfg.Commands, payoutID, clinicianID, reason, at, r.Meta)
	})
	return err
}

// AbandonPayout calls off a run that has not been exported; its earnings are freed.
func (a *App) AbandonPayout(ctx context.Context, call Call, payoutID, reason string, at time.Time) error {
	_, err := run(ctx, a, call, abandonPayout, func(ctx context.Context, r *Request) (struct{}, error) {
		return struct{}{}, cpayouts.Abandon(ctx, a.cfg.Commands, a.cfg.Payouts, payoutID, reason, at, r.Meta)
	})
	return err
}
