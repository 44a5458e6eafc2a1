package support

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"ledgerdesk/commands"
	support "ledgerdesk/commands/support"
	readmodel "ledgerdesk/projections/support"
)

// Retention limits.
const (
	// DefaultRetention is how long identity documents are kept after their ticket closes.
	DefaultRetention = 30 * 24 * time.Hour
	// MinRetention keeps a typo ("30m" for "30d") from destroying documents of tickets
	// closed an hour ago: an agent must have time to reopen a ticket closed by mistake.
	MinRetention = 24 * time.Hour
	// MaxRetention bounds how long sensitive documents may be kept at all.
	MaxRetention = 366 * 24 * time.Hour
	// RetentionActor is the actor the sweep's commands are recorded under.
	RetentionActor = "system:retention"
)

// ErrInvalidRetention says a retention setting is not a usable period.
var ErrInvalidRetention = errors.New("invalid identity document retention period")

// ParseRetention reads a retention setting (LEDGERDESK_ID_RETENTION): whole days as "30d",
// or a Go duration such as "720h". Empty means DefaultRetention. It must lie between
// MinRetention and MaxRetention.
func ParseRetention(s string) (time.Duration, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return DefaultRetention, nil
	}
	var d time.Duration
	if days, ok := strings.CutSuffix(t, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 || strings.HasPrefix(days, "+") {
			return 0, fmt.Errorf("%w: %q: write whole days as 30d, or a duration as 720h", ErrInvalidRetention, s)
		}
		if n > int(MaxRetention/(24*time.Hour)) {
			return 0, fmt.Errorf("%w: %q: at most %d days", ErrInvalidRetention, s, int(MaxRetention/(24*time.Hour)))
		}
		d = time.Duration(n) * 24 * time.Hour
	} else {
		var err error
		if d, err = time.ParseDuration(t); err != nil {
			return 0, fmt.Errorf("%w: %q: write whole days as 30d, or a duration as 720h", ErrInvalidRetention, s)
		}
	}
	if d < MinRetention || d > MaxRetention {
		return 0, fmt.Errorf("%w: %q: must be between 1 day and 366 days", ErrInvalidRetention, s)
	}
	return d, nil
}

// Retention is the sweep that destroys expired identity documents.
type Retention struct {
	Service *support.Service
	// DB reads the tickets read model (proj_support_tickets).
	DB readmodel.Querier
	// Period is how long after closing documents are kept; zero means DefaultRetention.
	Period time.Duration
	Logger *slog.Logger
}

// SweepResult says what one sweep did.
type SweepResult struct {
	Tickets   int // tickets whose documents were destroyed
	Documents int // documents destroyed
}

// Sweep destroys the identity documents of every ticket closed more than Period before the
// service's clock. The read model says which tickets to visit; each ticket's own history
// decides (a ticket the read model has not caught up with is left for the next sweep).
// One ticket failing does not stop the others; the errors are joined.
func (r Retention) Sweep(ctx context.Context) (SweepResult, error) {
	period := r.Period
	if period == 0 {
		period = DefaultRetention
	}
	log := orDiscard(r.Logger)
	now := r.Service.Now()
	due, err := readmodel.DueForDestruction(ctx, r.DB, now.Add(-period))
	if err != nil {
		return SweepResult{}, err
	}
	sweep := commands.NewCommandID()
	var res SweepResult
	var errs []error
	for _, id := range due {
		meta := commands.Metadata{CommandID: commands.NewCommandID(), CorrelationID: sweep, Actor: RetentionActor}
		n, err := r.Service.DestroyExpiredDocuments(ctx, id, period, meta)
		if err != nil {
			errs = append(errs, fmt.Errorf("ticket %s: %w", id, err))
			continue
		}
		if n > 0 {
			res.Tickets++
			res.Documents += n
			log.InfoContext(ctx, "identity documents destroyed after retention", "ticket", id, "documents", n)
		}
	}
	return res, errors.Join(errs...)
}

// Run sweeps now and then every interval until ctx ends; a failed sweep is logged and
// the next one tries again.
func (r Retention) Run(ctx context.Context, interval time.Duration) error {
	if interval <= 0 {
		interval = time.Hour
	}
	log := orDiscard(r.Logger)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := r.Sweep(ctx); err != nil && ctx.Err() == nil {
			log.ErrorContext(ctx, "identity document retention sweep", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
