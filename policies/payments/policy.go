package payments

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"ledgerdesk/codec"

	"ledgerdesk/projector"

	"github.com/jackc/pgx/v5"

	"ledgerdesk/app"
	"ledgerdesk/app/authz"
	"ledgerdesk/commands"
	"ledgerdesk/domain/earnings"
	"ledgerdesk/eventstore"
	"ledgerdesk/projections"
)

// Names of the policies: each is the name of its checkpoint (and of its empty schema).
const (
	ConsultationEarningsName = "policy_consultation_earnings"
	BillableItemEarningsName = "policy_billable_item_earnings"
	PayoutSettlementName     = "policy_payout_settlement"
)

// Policy is one of the payments policies. Handle acts on one event; Apply is Handle for the
// projections runner, which gives each policy its own checkpoint and retries.
type Policy interface {
	projections.Projection
	Handle(ctx context.Context, e eventstore.RecordedEvent) error
}

// All returns the payments policies, in the order their effects build on each other.
// They act through the application layer, each as its own system actor, so what they do
// is authorized, logged and counted like everything else.
func All(a *app.App) []Policy {
	g := &goLive{}
	b := base{app: a, deps: a.Commands()}
	return []Policy{
		&ConsultationEarnings{base: b, goLive: g},
		&BillableItemEarnings{base: b, goLive: g},
		&PayoutSettlement{b},
	}
}

// CatchUp runs the policies synchronously over every event after from, in global order, and
// returns the position it reached. The demo seed and the tests use it where no projector is
// running yet; the commands it issues are the very ones the live policies would issue (same
// derived ids), so a projector that later sees the same events changes nothing.
//
// The store's safe tail may lag behind what is committed while other transactions are
// running (see eventstore.Store.ReadAll); when the store can count what is committed
// (projector.Counter), CatchUp waits for the tail to reach it, so it returns only once
// every event committed so far, including the ones its own commands appended, has been
// handled. Under constant traffic it therefore keeps going until ctx ends.
func CatchUp(ctx context.Context, store eventstore.Store, from eventstore.Position, policies ...Policy) (eventstore.Position, error) {
	counter, _ := store.(projector.Counter)
	for {
		batch, err := store.ReadAll(ctx, from, 1000)
		if err != nil {
			return from, err
		}
		if len(batch) == 0 {
			if counter == nil {
				return from, nil
			}
			left, err := counter.CountAfter(ctx, from)
			if err != nil || left == 0 {
				return from, err
			}
			select {
			case <-ctx.Done():
				return from, ctx.Err()
			case <-time.After(5 * time.Millisecond):
			}
			continue
		}
		for _, e := range batch {
			for _, p := range policies {
				if err := p.Handle(ctx, e); err != nil {
					return from, fmt.Errorf("%s, event %s (%s@%d): %w", p.Name(), e.Type, e.StreamID, e.Version, err)
				}
			}
			from = e.Position
		}
	}
}

// base is what every policy shares: no tables, and the one way to run a command.
type base struct {
	app *app.App
	// deps decode the events the policy reacts to and read the go-live date.
	deps commands.Deps
}

func (base) Setup(context.Context, pgx.Tx) error { return nil }

// earningsCommand executes cmd on the clinician's earnings stream as the policy's reaction
// to cause. The command id is derived from the cause and the purpose, which is what makes a
// redelivered event harmless.
func (b base) earningsCommand(ctx context.Context, policy string, cause eventstore.RecordedEvent, purpose, clinicianID string, cmd earnings.Command) error {
	call := app.Call{
		Actor:       authz.PolicyActor(policy),
		Door:        app.Policy,
		CommandID:   commands.DerivedCommandID(cause.ID, policy+":"+purpose),
		CausationID: cause.ID,
	}
	if m, err := codec.ParseMetadata(cause.Metadata); err == nil {
		call.CorrelationID = m.CorrelationID
	}
	_, err := b.app.Execute(ctx, call, app.ToEarnings(clinicianID, cmd))
	return err
}

// decode reads the event if its stream is in category, and says whether it was.
func (b base) decode(ctx context.Context, e eventstore.RecordedEvent, category string) (any, bool, error) {
	if eventstore.Category(e.StreamID) != category {
		return nil, false, nil
	}
	ev, err := b.deps.Codec.Decode(ctx, e.Type, e.Data)
	if err != nil {
		return nil, false, err
	}
	return ev, true, nil
}

// at is the time a command carries when the causing event has none of its own.
func at(t time.Time, e eventstore.RecordedEvent) time.Time {
	if !t.IsZero() {
		return t
	}
	return e.RecordedAt
}

// clip shortens s to at most n characters, for reasons that carry a prefix of ours.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
