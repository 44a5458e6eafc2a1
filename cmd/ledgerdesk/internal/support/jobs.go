package support

import (
	"context"
	"time"

	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
	policies "ledgerdesk/policies/support"
)

// retentionInterval is how often serve sweeps for expired identity documents.
const retentionInterval = time.Hour

// Jobs are the support centre's periodic jobs, for serve to run beside the projectors
// until its context ends: the identity document retention sweep, every hour, with
// LEDGERDESK_ID_RETENTION, and the mail sender working off the outbox. Several processes
// may run both at once: a ticket's history decides, so a document is destroyed once, and
// each outbox row is taken under a lock that the other senders skip.
func Jobs(d *wiring.Runtime) ([]func(ctx context.Context) error, error) {
	svc, err := d.SupportService()
	if err != nil {
		return nil, err
	}
	sweep := policies.Retention{Service: svc, DB: d.DB, Period: d.Config.IDRetention, Logger: d.Log}
	sender, err := d.MailSender()
	if err != nil {
		return nil, err
	}
	return []func(ctx context.Context) error{
		func(ctx context.Context) error { return sweep.Run(ctx, retentionInterval) },
		sender.Run,
	}, nil
}
