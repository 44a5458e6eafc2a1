package payments

import (
	"context"

	"ledgerdesk/domain/earnings"
	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/eventstore"
	"ledgerdesk/projections"
)

// BillableItemEarnings accrues a billable item for the clinician who raised it as soon as it
// is on an invoice, and releases every item of an invoice once the patient has paid it in
// full. A voided invoice releases nothing.
type BillableItemEarnings struct {
	base
	goLive *goLive
}

func (*BillableItemEarnings) Name() string { return BillableItemEarningsName }

func (p *BillableItemEarnings) Apply(ctx context.Context, _ projections.Writer, e eventstore.RecordedEvent) error {
	return p.Handle(ctx, e)
}

// Handle acts on invoice.BillableItemAdded and invoice.PaidInFull.
func (p *BillableItemEarnings) Handle(ctx context.Context, e eventstore.RecordedEvent) error {
	ev, ok, err := p.decode(ctx, e, invoice.StreamCategory)
	if !ok || err != nil {
		return err
	}
	switch ev := ev.(type) {
	case invoice.BillableItemAdded:
		goLive, err := p.goLive.get(ctx, p.deps)
		if err != nil {
			return err
		}
		src := earnings.BillableItem(ev.InvoiceID, ev.ItemID)
		return p.earningsCommand(ctx, BillableItemEarningsName, e, "accrue", ev.ClinicianID, earnings.Accrue{
			EarningID:   EarningID(src),
			ClinicianID: ev.ClinicianID,
			Source:      src,
			Amount:      ev.Amount,
			WorkDate:    ledger.LondonDate(ev.AddedAt),
			GoLive:      goLive,
			At:          at(ev.AddedAt, e),
		})
	case invoice.PaidInFull:
		// One release per item, each with its own derived id: when a later one fails the
		// event is retried and the earlier ones replay instead of running again.
		for _, it := range ev.Items {
			err := p.earningsCommand(ctx, BillableItemEarningsName, e, "release:"+it.ItemID, it.ClinicianID, earnings.Release{
				Source: earnings.BillableItem(ev.InvoiceID, it.ItemID),
				Reason: earnings.ReleaseInvoicePaid,
				At:     at(ev.PaidAt, e),
			})
			if err != nil {
				return err
			}
		}
	}
	return nil
}
