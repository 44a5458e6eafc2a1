package payments

import (
	"context"

	"ledgerdesk/domain/appointment"
	"ledgerdesk/domain/earnings"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/eventstore"
	"ledgerdesk/projections"
)

// ConsultationEarnings accrues a consultation's fee when it is completed and releases it
// when the post-consultation form is submitted.
type ConsultationEarnings struct {
	base
	goLive *goLive
}

func (*ConsultationEarnings) Name() string { return ConsultationEarningsName }

func (p *ConsultationEarnings) Apply(ctx context.Context, _ projections.Writer, e eventstore.RecordedEvent) error {
	return p.Handle(ctx, e)
}

// Handle acts on appointment.Completed and appointment.FormSubmitted.
func (p *ConsultationEarnings) Handle(ctx context.Context, e eventstore.RecordedEvent) error {
	ev, ok, err := p.decode(ctx, e, appointment.StreamCategory)
	if !ok || err != nil {
		return err
	}
	switch ev := ev.(type) {
	case appointment.Completed:
		goLive, err := p.goLive.get(ctx, p.deps)
		if err != nil {
			return err
		}
		src := earnings.Consultation(ev.AppointmentID)
		return p.earningsCommand(ctx, ConsultationEarningsName, e, "accrue", ev.ClinicianID, earnings.Accrue{
			EarningID:   EarningID(src),
			ClinicianID: ev.ClinicianID,
			Source:      src,
			Amount:      ev.Fee,
			WorkDate:    ledger.LondonDate(ev.WorkedAt),
			GoLive:      goLive,
			At:          at(ev.WorkedAt, e),
		})
	case appointment.FormSubmitted:
		// Addressed by the work, not the id: if the accrual has not happened yet the
		// decider says ErrNotAccrued and the event is retried until it has.
		return p.earningsCommand(ctx, ConsultationEarningsName, e, "release", ev.ClinicianID, earnings.Release{
			Source: earnings.Consultation(ev.AppointmentID),
			Reason: earnings.ReleaseFormSubmitted,
			At:     at(ev.SubmittedAt, e),
		})
	}
	return nil
}
