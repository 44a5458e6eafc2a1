package projector

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/eventstore"
	"ledgerdesk/projections"
)

// ErrBehind says a read model did not catch up with the history in the time allowed.
var ErrBehind = errors.New("a read model is behind the history")

// CatchUp brings projections up to the newest event before a command-line tool answers
// from them, so that an import or a tick made a moment ago shows (and a policy acts at
// once when no projector is running). It runs a projector for these projections alone
// until nothing is left to apply; when another process (serve, project) owns one, this
// one waits while that one catches up. It returns their status then, so the caller can
// warn about parked events.
func CatchUp(ctx context.Context, db *pgxpool.Pool, store eventstore.Store, ps []projections.Projection, timeout time.Duration) ([]Status, error) {
	if len(ps) == 0 {
		return nil, nil // nothing to bring up to date
	}
	runner, err := NewRunner(ctx, Config{Store: store, DB: db, Projections: ps, OwnershipPoll: 50 * time.Millisecond})
	if err != nil {
		return nil, err
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- runner.Run(runCtx) }()
	defer func() { cancel(); <-done }()

	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name()
	}
	deadline := time.Now().Add(timeout)
	for {
		st, err := StatusOf(ctx, db, store, names)
		if err != nil {
			return nil, err
		}
		var behind []string
		for _, s := range st {
			caughtUp := s.Lag == 0
			if s.Lag < 0 {
				// The store cannot count; one that cannot count (KurrentDB) has no horizon
				// either, so an empty read after the checkpoint means nothing is left.
				next, err := store.ReadAll(ctx, s.Position, 1)
				if err != nil {
					return st, err
				}
				caughtUp = len(next) == 0
			}
			if !caughtUp {
				behind = append(behind, fmt.Sprintf("%s (applied up to %s)", s.Name, s.Position))
			}
		}
		if len(behind) == 0 {
			return st, nil
		}
		if time.Now().After(deadline) {
			return st, fmt.Errorf("%w: %s not caught up in %s; is a projector running? (`ledgerdesk projections status`)",
				ErrBehind, strings.Join(behind, ", "), timeout)
		}
		select {
		case <-ctx.Done():
			return st, ctx.Err()
		case <-time.After(25 * time.Millisecond):
		}
	}
}
