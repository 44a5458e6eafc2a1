package v1recon

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/eventstore"
	"ledgerdesk/projections"
)

// ErrBehind says the read model did not catch up with the history in the time allowed.
var ErrBehind = errors.New("the reconciliation read model is behind the history")

// CatchUp brings the projection up to the newest event before a report is read, so that
// an import or a tick made a moment ago shows. It runs a projector for this projection
// alone until nothing is left to apply; when another process (serve) owns the projection,
// this one waits while that one catches up. It returns the projection's status then, so
// the caller can warn about parked events.
func CatchUp(ctx context.Context, db *pgxpool.Pool, store eventstore.Store, p projections.Projection, timeout time.Duration) (projections.Status, error) {
	runner, err := projections.NewRunner(ctx, projections.Config{Store: store, DB: db, Projections: []projections.Projection{p},
		OwnershipPoll: 50 * time.Millisecond})
	if err != nil {
		return projections.Status{}, err
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- runner.Run(runCtx) }()
	defer func() { cancel(); <-done }()

	deadline := time.Now().Add(timeout)
	for {
		st, err := projections.StatusOf(ctx, db, store, []string{p.Name()})
		if err != nil {
			return projections.Status{}, err
		}
		caughtUp := st[0].Lag == 0
		if st[0].Lag < 0 {
			// The store cannot count; one that cannot count (KurrentDB) has no horizon
			// either, so an empty read after the checkpoint means nothing is left.
			next, err := store.ReadAll(ctx, st[0].Position, 1)
			if err != nil {
				return st[0], err
			}
			caughtUp = len(next) == 0
		}
		if caughtUp {
			return st[0], nil
		}
		if time.Now().After(deadline) {
			return st[0], fmt.Errorf("%w: it has applied events up to %s and not caught up in %s; is a projector running? (`ledgerdesk projections status`)",
				ErrBehind, st[0].Position, timeout)
		}
		select {
		case <-ctx.Done():
			return st[0], ctx.Err()
		case <-time.After(25 * time.Millisecond):
		}
	}
}
