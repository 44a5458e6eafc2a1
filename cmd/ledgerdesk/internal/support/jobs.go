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
// LEDGERDESK_ID_RETENTION. Several processes may run it at once: a ticket's history
// decides, so a document is destroyed once.
func Jobs(d *wiring.Runtime) ([]func(ctx context.Context) error, error) {
	svc, err := d.SupportService()
	if err != nil {
		return nil, err
	}
	sweep := policies.Retention{Service: svc, DB: d.DB, Period: d.Config.IDRetention, Logger: d.Log}
	return []func(ctx context.Context) error{func(ctx context.Context) error { return sweep.Run(ctx, retentionInterval) }}, nil
}
