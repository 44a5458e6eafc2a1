package authz

import (
	"context"
	"time"

	"ledgerdesk/commands"
	"ledgerdesk/commands/v1import"
	"ledgerdesk/domain/v1item"
	"ledgerdesk/projections/v1recon"
)

// TickOffV1Item records that the accounts department settled a V1 item; only accounts
// may. The actor is who ticked it, whatever meta says.
func TickOffV1Item(ctx context.Context, deps commands.Deps, actor Actor, reference, note string, at time.Time, meta commands.Metadata) (v1item.TickedOff, error) {
	if err := Authorize(actor, TickOffV1, Resource{}); err != nil {
		return v1item.TickedOff{}, err
	}
	meta.Actor = actor.Subject
	return v1import.TickOff(ctx, deps, reference, note, at, meta)
}

// UndoV1TickOff withdraws a tick made in error; only accounts may, and must say why.
func UndoV1TickOff(ctx context.Context, deps commands.Deps, actor Actor, reference, reason string, at time.Time, meta commands.Metadata) (v1item.TickOffUndone, error) {
	if err := Authorize(actor, TickOffV1, Resource{}); err != nil {
		return v1item.TickOffUndone{}, err
	}
	meta.Actor = actor.Subject
	return v1import.UndoTickOff(ctx, deps, reference, reason, at, meta)
}

// V1Reconciliation is the V1 reconciliation report, for accounts and those who audit it.
func V1Reconciliation(ctx context.Context, q v1recon.Querier, actor Actor) (v1recon.Report, error) {
	if err := Authorize(actor, ReadV1, Resource{}); err != nil {
		return v1recon.Report{}, err
	}
	return v1recon.Query(ctx, q)
}
