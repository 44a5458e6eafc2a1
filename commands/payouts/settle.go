package payouts

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"ledgerdesk/commands"
	"ledgerdesk/domain/earnings"
	"ledgerdesk/domain/payout"
)

// The bank's answers. Each records one event on the run; the settlement policy then moves
// the clinicians' earnings (paid, or back to released). A command id in meta makes a retry
// harmless; a zero one is minted.

// MarkSubmitted records that the file was sent to the bank.
func MarkSubmitted(ctx context.Context, deps commands.Deps, payoutID string, at time.Time, meta commands.Metadata) error {
	return run(ctx, deps, payoutID, payout.MarkSubmitted{PayoutID: payoutID, At: at}, meta)
}

// MarkSettled records that the bank paid every line that has not failed.
func MarkSettled(ctx context.Context, deps commands.Deps, payoutID string, at time.Time, meta commands.Metadata) error {
	return run(ctx, deps, payoutID, payout.MarkSettled{PayoutID: payoutID, At: at}, meta)
}

// FailLine records that the bank refused one clinician's payment.
func FailLine(ctx context.Context, deps commands.Deps, payoutID, clinicianID, reason string, at time.Time, meta commands.Metadata) error {
	return run(ctx, deps, payoutID, payout.FailLine{PayoutID: payoutID, ClinicianID: clinicianID, Reason: reason, At: at}, meta)
}

// Abandon gives up a run before it reaches the bank. Lines already on the run get their
// earnings back through the settlement policy. A run that crashed while being drafted may
// also hold earnings included in a clinician's stream whose line was never added; those
// are returned here, directly, because no payout event names them. db is the earnings
// read model, used only to learn which clinicians to look at.
func Abandon(ctx context.Context, deps commands.Deps, db EarningsFinder, payoutID, reason string, at time.Time, meta commands.Metadata) error {
	before, _, err := commands.Load(ctx, deps, payout.Decider, payout.StreamID(payoutID))
	if err != nil {
		return err
	}
	if err := run(ctx, deps, payoutID, payout.Abandon{PayoutID: payoutID, Reason: reason, At: at}, meta); err != nil {
		return err
	}
	if before.Status != payout.StatusDrafting || db == nil {
		return nil
	}
	clinicians, err := db.Clinicians(ctx)
	if err != nil {
		return err
	}
	for _, c := range clinicians {
		if _, ok := before.Line(c); ok {
			continue
		}
		es, _, err := commands.Load(ctx, deps, earnings.Decider, earnings.StreamID(c))
		if err != nil {
			return err
		}
		if p, ok := es.Payout(payoutID); !ok || p.Status != earnings.PayoutIncluded {
			continue
		}
		if _, err := commands.Execute(ctx, deps, earnings.Decider, earnings.StreamID(c), earnings.Command(earnings.ReturnFromPayout{
			PayoutID: payoutID, Reason: clip("the payout run was abandoned before this line was added: "+reason, earnings.MaxReasonLength), At: at,
		}), commands.Metadata{CommandID: commandID(payoutID, "abandon-orphan:"+c), CorrelationID: meta.CorrelationID, Actor: meta.Actor}); err != nil {
			return fmt.Errorf("returning the earnings of clinician %s: %w", c, err)
		}
	}
	return nil
}

func run(ctx context.Context, deps commands.Deps, payoutID string, cmd payout.Command, meta commands.Metadata) error {
	if meta.CommandID == uuid.Nil {
		meta.CommandID = commands.NewCommandID()
	}
	_, err := commands.Execute(ctx, deps, payout.Decider, payout.StreamID(payoutID), cmd, meta)
	return err
}

// clip shortens s to at most n characters, for reasons that carry a prefix of ours.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
