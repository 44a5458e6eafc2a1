package app

import (
	"context"
	"io"
	"time"

	"ledgerdesk/app/authz"
	"ledgerdesk/commands/v1import"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/v1item"
	"ledgerdesk/projections/v1recon"
)

// The legacy V1 back office is the accounts department's to reconcile; auditors and
// administrators read the report.
var (
	readV1     = declare(query("v1.read", authz.Rule{authz.Accounts: authz.Any, authz.Auditor: authz.Any, authz.Admin: authz.Any}))
	tickOffV1  = declare(command("v1.tick_off", accountsOnly))
	undoTickV1 = declare(command("v1.undo_tick_off", accountsOnly))
	importV1   = declare(command("v1.import", authz.Rule{authz.Accounts: authz.Any, authz.Admin: authz.Any}))
	setGoLive  = declare(command("v1.ensure_go_live", authz.Rule{authz.Accounts: authz.Any, authz.Admin: authz.Any, authz.System: authz.Any}))
	readGoLive = declare(query("v1.go_live.read", everyone))
)

// TickOffV1 records that the accounts department settled a V1 item.
func (a *App) TickOffV1(ctx context.Context, call Call, reference, note string, at time.Time) (v1item.TickedOff, error) {
	return run(ctx, a, call, tickOffV1, func(ctx context.Context, r *Request) (v1item.TickedOff, error) {
		return v1import.TickOff(ctx, a.cfg.Commands, reference, note, orNow(at, r), r.Meta)
	})
}

// UndoV1TickOff withdraws a tick made in error, saying why.
func (a *App) UndoV1TickOff(ctx context.Context, call Call, reference, reason string, at time.Time) (v1item.TickOffUndone, error) {
	return run(ctx, a, call, undoTickV1, func(ctx context.Context, r *Request) (v1item.TickOffUndone, error) {
		return v1import.UndoTickOff(ctx, a.cfg.Commands, reference, reason, orNow(at, r), r.Meta)
	})
}

// V1Reconciliation is the V1 reconciliation report.
func (a *App) V1Reconciliation(ctx context.Context, call Call) (v1recon.Report, error) {
	return run(ctx, a, call, readV1, func(ctx context.Context, _ *Request) (v1recon.Report, error) {
		return v1recon.Query(ctx, a.cfg.DB)
	})
}

// ImportV1 imports a V1 export; the caller is recorded as who imported it.
func (a *App) ImportV1(ctx context.Context, call Call, in io.Reader, opts v1import.Options) (v1import.Report, error) {
	return run(ctx, a, call, importV1, func(ctx context.Context, r *Request) (v1import.Report, error) {
		opts.By = r.Actor.Subject
		if opts.At.IsZero() {
			opts.At = r.Now
		}
		return v1import.Import(ctx, a.cfg.Commands, in, opts)
	})
}

// EnsureGoLive records the deployment's go-live date (once; moved only while in the future).
func (a *App) EnsureGoLive(ctx context.Context, call Call, date ledger.Date) (v1import.GoLiveStatus, error) {
	return run(ctx, a, call, setGoLive, func(ctx context.Context, r *Request) (v1import.GoLiveStatus, error) {
		return v1import.EnsureGoLive(ctx, a.cfg.Commands, date, r.Now, r.Actor.Subject)
	})
}

// GoLive is the recorded go-live date (v1import.ErrNoGoLive when none is).
func (a *App) GoLive(ctx context.Context, call Call) (ledger.Date, error) {
	return run(ctx, a, call, readGoLive, func(ctx context.Context, _ *Request) (ledger.Date, error) {
		return v1import.GoLive(ctx, a.cfg.Commands)
	})
}

func orNow(at time.Time, r *Request) time.Time {
	if at.IsZero() {
		return r.Now
	}
	return at
}
