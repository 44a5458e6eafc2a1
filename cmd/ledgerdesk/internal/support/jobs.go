package main

import (
	"context"
	"time"

	"ledgerdesk/commands"
	policies "ledgerdesk/policies/support"
)

// supportRetentionInterval is how often serve sweeps for expired identity documents.
const supportRetentionInterval = time.Hour

// supportJobs are the support centre's periodic jobs, for serve to run beside the
// projectors until its context ends: the identity document retention sweep, every hour,
// with LEDGERDESK_ID_RETENTION. Several processes may run it at once: a ticket's history
// decides, so a document is destroyed once.
func supportJobs(d *deps, cmds commands.Deps) []func(ctx context.Context) error {
	period := d.cfg.IDRetention
	svc, err := supportService(d, cmds, nil)
	if err != nil {
		return []func(context.Context) error{func(context.Context) error { return err }}
	}
	sweep := policies.Retention{Service: svc, DB: d.db, Period: period, Logger: d.log}
	return []func(ctx context.Context) error{func(ctx context.Context) error { return sweep.Run(ctx, supportRetentionInterval) }}
}
