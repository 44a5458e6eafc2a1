package support

import (
	"context"
	"time"

	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
	policies "ledgerdesk/policies/support"
)

// retentionInterval is how often serve sweeps for expired identity documents.
const retentionInterval = time.Hour

// autoCloseInterval is how often serve closes tickets solved more than 7 days ago.
const autoCloseInterval = time.Hour

// Jobs are the support centre's periodic jobs, for serve to run beside the projectors
// until its context ends: the identity document retention sweep, every hour, with
// LEDGERDESK_ID_RETENTION; the auto-close sweep, every hour, closing tickets solved more
// than 7 days ago as policy:ticket_autoclose; and the mail sender working off the outbox.
// Several processes may run them all at once: a ticket's history decides, so a document
// is destroyed once and a ticket closed once (its close has a derived command id), and
// each outbox row is taken under a lock that the other senders skip.
func Jobs(d *wiring.Runtime) ([]func(ctx context.Context) error, error) {
	svc, err := d.SupportService()
	if err != nil {
		return nil, err
	}
	sweep := policies.Retention{Service: svc, DB: d.DB, Period: d.Config.IDRetention, Logger: d.Log}
	a, err := d.App()
	if err != nil {
		return nil, err
	}
	autoClose := policies.AutoClose{App: a, DB: d.DB, Logger: d.Log}
	sender, err := d.MailSender()
	if err != nil {
		return nil, err
	}
	return []func(ctx context.Context) error{
		func(ctx context.Context) error { return sweep.Run(ctx, retentionInterval) },
		func(ctx context.Context) error { return autoClose.Run(ctx, autoCloseInterval) },
		sender.Run,
	}, nil
}
