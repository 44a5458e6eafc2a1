package payments

import (
	"context"

	"ledgerdesk/domain/earnings"
	"ledgerdesk/domain/payout"
	"ledgerdesk/eventstore"
	"ledgerdesk/projections"
)

// PayoutSettlement carries the bank's answer to the clinicians' earnings: a settled run
// marks each paid line's earnings paid; a failed line, or a run abandoned before it reached
// the bank, returns its earnings to released and unpaid.
type PayoutSettlement struct{ base }

func (*PayoutSettlement) Name() string { return PayoutSettlementName }

func (p *PayoutSettlement) Apply(ctx context.Context, _ projections.Writer, e eventstore.RecordedEvent) error {
	return p.Handle(ctx, e)
}

// Handle acts on payout.Settled, payout.LineFailed and payout.Abandoned.
func (p *PayoutSettlement) Handle(ctx context.Context, e eventstore.RecordedEvent) error {
	ev, ok, err := p.decode(ctx, e, payout.StreamCategory)
	if !ok || err != nil {
		return err
	}
	switch ev := ev.(type) {
	case payout.Settled:
		for _, l := range ev.Lines {
			if err := p.earningsCommand(ctx, PayoutSettlementName, e, "paid:"+l.ClinicianID, l.ClinicianID,
				earnings.MarkPaid{PayoutID: ev.PayoutID, At: at(ev.SettledAt, e)}); err != nil {
				return err
			}
		}
	case payout.LineFailed:
		return p.earningsCommand(ctx, PayoutSettlementName, e, "returned:"+ev.ClinicianID, ev.ClinicianID, earnings.ReturnFromPayout{
			PayoutID: ev.PayoutID,
			Reason:   clip("the bank failed the payment: "+ev.Reason, earnings.MaxReasonLength),
			At:       at(ev.FailedAt, e),
		})
	case payout.Abandoned:
		for _, c := range ev.ClinicianIDs {
			if err := p.earningsCommand(ctx, PayoutSettlementName, e, "returned:"+c, c, earnings.ReturnFromPayout{
				PayoutID: ev.PayoutID,
				Reason:   clip("the payout run was abandoned: "+ev.Reason, earnings.MaxReasonLength),
				At:       at(ev.AbandonedAt, e),
			}); err != nil {
				return err
			}
		}
	}
	return nil
}
