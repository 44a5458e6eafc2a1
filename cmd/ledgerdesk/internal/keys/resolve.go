package keys

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/adapters/postgres"
	"ledgerdesk/cmd/ledgerdesk/internal/devkey"
)

// Options are what Resolve decides from.
type Options struct {
	// MasterKey is LEDGERDESK_MASTER_KEY, parsed (config.Config.MasterKey); nil if unset.
	MasterKey []byte
	// Serve says the command is `serve`, with Demo its --demo flag; every other command is
	// a tool (devkey.DecideTool).
	Serve, Demo bool
	// InsecureDevKeys is LEDGERDESK_INSECURE_DEV_KEYS (devkey.InsecureDevKeys).
	InsecureDevKeys bool
	// DevKeyPath is where the development key is kept:
	// devkey.PathFor(os.Getenv(devkey.PathEnv), cfg.DataDir).
	DevKeyPath string
	// Log is told when the development key is used or the support keys are moved.
	Log *slog.Logger
}

// Resolved is the master key a process runs on.
type Resolved struct {
	// Master is the key for the personal data key store (postgres.KeyStoreConfig) and
	// for SupportKeys: never nil once Resolve succeeds.
	Master []byte
	// DevKey says Master is the development key, read from (or Created at) Path.
	DevKey  bool
	Path    string
	Created bool
	// AdoptedSupportKey says the support centre's keys were just moved off the key kept
	// in support_development_key (see AdoptSupportKey).
	AdoptedSupportKey bool
}

// Resolve picks the master key a process runs on (devkey.Decide for serve,
// devkey.DecideTool for the rest; the development key file when they say so), checks that
// it opens the personal data keys already in pool (postgres.VerifyMasterKey), and moves
// the support centre's keys off support_development_key if the database still has one
// (AdoptSupportKey). Call it once the database is migrated and before building any key
// store or the support service.
func Resolve(ctx context.Context, pool *pgxpool.Pool, o Options) (Resolved, error) {
	log := o.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var useDev bool
	if o.Serve {
		var err error
		if useDev, err = devkey.Decide(o.MasterKey != nil, o.Demo, o.InsecureDevKeys); err != nil {
			return Resolved{}, err
		}
	} else {
		useDev = devkey.DecideTool(o.MasterKey != nil)
	}
	r := Resolved{Master: o.MasterKey}
	if useDev {
		if o.DevKeyPath == "" {
			return Resolved{}, fmt.Errorf("no path for the development master key")
		}
		k, created, err := devkey.Load(o.DevKeyPath)
		if err != nil {
			return Resolved{}, err
		}
		r.Master, r.DevKey, r.Path, r.Created = k, true, o.DevKeyPath, created
		log.Warn(devkey.Warning(o.DevKeyPath, created))
	}
	if err := postgres.VerifyMasterKey(ctx, pool, r.Master); err != nil {
		if r.DevKey {
			return Resolved{}, fmt.Errorf("%w; this database's data is not under the development key %s: set LEDGERDESK_MASTER_KEY to the key it is under", err, r.Path)
		}
		return Resolved{}, fmt.Errorf("%w; LEDGERDESK_MASTER_KEY is not the key this database's data is under", err)
	}
	adopted, rep, err := AdoptSupportKey(ctx, pool, r.Master, nil)
	if err != nil {
		return Resolved{}, err
	}
	if adopted {
		r.AdoptedSupportKey = true
		log.Info("moved the support centre's keys off the development key kept in the database",
			"attachment_keys", rep.Attachments.Rewrapped, "two_factor_secrets", rep.Secrets.Resealed)
	}
	return r, nil
}
