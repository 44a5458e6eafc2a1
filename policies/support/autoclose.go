package support

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"ledgerdesk/app"
	"ledgerdesk/app/authz"
	"ledgerdesk/commands"
	"ledgerdesk/domain/ticket"
	readmodel "ledgerdesk/projections/support"
)

// AutoCloseName is the policy the auto-close sweep acts as: its commands are recorded
// under authz.PolicyActor(AutoCloseName), "policy:ticket_autoclose".
const AutoCloseName = "ticket_autoclose"

// AutoClose is the sweep that closes tickets solved more than ticket.ReopenWindow ago
// (issue 15: "solved tickets close themselves after 7 days"). The window is the
// reopening one, and the ticket decides it, so a ticket its requester can still reopen is
// never closed.
type AutoClose struct {
	// App is the door the sweep's commands go through, as a system actor; its clock is
	// the sweep's.
	App *app.App
	// DB reads the tickets read model (proj_support_tickets).
	DB     readmodel.Querier
	Logger *slog.Logger
}

// AutoCloseResult says what one sweep did.
type AutoCloseResult struct {
	Closed int // tickets closed by this sweep
}

// Sweep closes every ticket solved more than ticket.ReopenWindow before the app's clock.
// The read model says which tickets to visit; each ticket's own history decides (one the
// read model has not caught up with, reopened say, is left alone). Each close has a
// command id derived from the ticket and when it was solved, so sweeps running at once or
// twice over close a ticket once. One ticket failing does not stop the others; the errors
// are joined.
func (c AutoClose) Sweep(ctx context.Context) (AutoCloseResult, error) {
	log := orDiscard(c.Logger)
	due, err := readmodel.DueForClosing(ctx, c.DB, c.App.Now().Add(-ticket.ReopenWindow))
	if err != nil {
		return AutoCloseResult{}, err
	}
	sweep := commands.NewCommandID()
	var res AutoCloseResult
	var errs []error
	for _, t := range due {
		call := app.Call{
			Actor:         authz.PolicyActor(AutoCloseName),
			Door:          app.Policy,
			CommandID:     autoCloseCommandID(t),
			CorrelationID: sweep,
		}
		closed, err := c.App.CloseSolvedTicket(ctx, call, t.TicketID)
		if err != nil {
			errs = append(errs, fmt.Errorf("ticket %s: %w", t.TicketID, err))
			continue
		}
		if closed {
			res.Closed++
			log.InfoContext(ctx, "solved ticket closed after the reopen window", "ticket", t.TicketID, "solved_at", t.SolvedAt)
		}
	}
	return res, errors.Join(errs...)
}

// autoCloseCommandID names the closing of one solve of a ticket: the same on every run,
// and a new one if the ticket is reopened and solved again.
func autoCloseCommandID(t readmodel.Solved) uuid.UUID {
	cause, err := uuid.Parse(t.TicketID)
	if err != nil {
		cause = uuid.NewSHA1(uuid.NameSpaceOID, []byte("ledgerdesk ticket "+t.TicketID))
	}
	return commands.DerivedCommandID(cause, AutoCloseName+":"+t.SolvedAt.UTC().Format(time.RFC3339Nano))
}

// Run sweeps now and then every interval until ctx ends; a failed sweep is logged and
// the next one tries again.
func (c AutoClose) Run(ctx context.Context, interval time.Duration) error {
	if interval <= 0 {
		interval = time.Hour
	}
	log := orDiscard(c.Logger)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := c.Sweep(ctx); err != nil && ctx.Err() == nil {
			log.ErrorContext(ctx, "solved ticket auto-close sweep", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
