package commands

import (
	"context"
	"math/rand/v2"
	"time"
)

// Backoff between attempts after a conflict: full jitter over an interval that doubles
// from backoffBase up to backoffMax, so writers racing on one stream spread out instead of
// colliding again in step.
const (
	backoffBase = 2 * time.Millisecond
	backoffMax  = 100 * time.Millisecond
)

func pause(ctx context.Context, attempt int) error {
	d := backoffBase << min(attempt-1, 10)
	d = min(d, backoffMax)
	t := time.NewTimer(rand.N(d) + 1)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
