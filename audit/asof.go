package audit

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"ledgerdesk/commands"
	"ledgerdesk/domain/appointment"
	"ledgerdesk/domain/earnings"
	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/money"
	"ledgerdesk/domain/payout"
	"ledgerdesk/domain/ticket"
)

// ErrUnknownKind says AsOf was asked about something it cannot fold.
var ErrUnknownKind = errors.New("unknown kind of record")

// Snapshot is an aggregate's state at a moment.
type Snapshot struct {
	Kind   string    `json:"kind"`
	ID     string    `json:"id"`
	Stream string    `json:"stream"`
	AsOf   time.Time `json:"as_of"`
	// Version is how many of the stream's events were recorded by then (0: none).
	Version uint64 `json:"version"`
	// State is the aggregate's state (for a clinician, ClinicianEarnings).
	State any `json:"state"`
}

// ClinicianEarnings is a clinician's earnings state in a form that prints: every earning,
// every payout line, and the totals per status.
type ClinicianEarnings struct {
	ClinicianID string                           `json:"clinician_id"`
	Totals      map[earnings.Status]money.Amount `json:"totals"`
	Earnings    []earnings.Earning               `json:"earnings"`
	Payouts     []earnings.Payout                `json:"payouts"`
}

type kind struct {
	stream func(id string) string
	load   func(ctx context.Context, deps commands.Deps, stream string, t time.Time) (any, uint64, error)
}

var kinds = map[string]kind{
	"clinician": {earnings.StreamID, func(ctx context.Context, deps commands.Deps, stream string, t time.Time) (any, uint64, error) {
		s, v, err := commands.LoadAsOf(ctx, deps, earnings.Decider, stream, t)
		if err != nil {
			return nil, v, err
		}
		view := ClinicianEarnings{ClinicianID: s.ClinicianID, Totals: map[earnings.Status]money.Amount{}, Earnings: s.Earnings(), Payouts: s.Payouts()}
		for _, st := range []earnings.Status{earnings.StatusPending, earnings.StatusReleased, earnings.StatusInPayout, earnings.StatusPaid, earnings.StatusV1} {
			view.Totals[st] = s.Total(st)
		}
		return view, v, nil
	}},
	"invoice": {invoice.StreamID, func(ctx context.Context, deps commands.Deps, stream string, t time.Time) (any, uint64, error) {
		return commands.LoadAsOf(ctx, deps, invoice.Decider, stream, t)
	}},
	"appointment": {appointment.StreamID, func(ctx context.Context, deps commands.Deps, stream string, t time.Time) (any, uint64, error) {
		return commands.LoadAsOf(ctx, deps, appointment.Decider, stream, t)
	}},
	"payout": {payout.StreamID, func(ctx context.Context, deps commands.Deps, stream string, t time.Time) (any, uint64, error) {
		return commands.LoadAsOf(ctx, deps, payout.Decider, stream, t)
	}},
	"ticket": {ticket.StreamID, func(ctx context.Context, deps commands.Deps, stream string, t time.Time) (any, uint64, error) {
		return commands.LoadAsOf(ctx, deps, ticket.Decider, stream, t)
	}},
}

// Kinds lists what AsOf can fold.
func Kinds() []string {
	var out []string
	for k := range kinds {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// AsOf folds the events of one record (kind "clinician", "invoice", "appointment", "payout"
// or "ticket", and its id) recorded at or before t.
func AsOf(ctx context.Context, deps commands.Deps, kindName, id string, t time.Time) (Snapshot, error) {
	k, ok := kinds[kindName]
	if !ok {
		return Snapshot{}, fmt.Errorf("%w %q: want one of %s", ErrUnknownKind, kindName, strings.Join(Kinds(), ", "))
	}
	if id == "" {
		return Snapshot{}, fmt.Errorf("%w: %s with no id", ErrUnknownKind, kindName)
	}
	stream := k.stream(id)
	state, v, err := k.load(ctx, deps, stream, t)
	if err != nil {
		return Snapshot{}, fmt.Errorf("%s %s as of %s: %w", kindName, id, t.Format(time.RFC3339), err)
	}
	return Snapshot{Kind: kindName, ID: id, Stream: stream, AsOf: t, Version: v, State: state}, nil
}
