package main

import (
	"context"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"time"

	"ledgerdesk/projector"

	"github.com/spf13/cobra"

	"ledgerdesk/adapters/attachmentstore"
	"ledgerdesk/commands"
	support "ledgerdesk/commands/support"
	"ledgerdesk/domain/account"
	policies "ledgerdesk/policies/support"
	"ledgerdesk/projections"
	readmodel "ledgerdesk/projections/support"
)

// supportMasterKey is the key the support centre's own keys are derived from:
// LEDGERDESK_MASTER_KEY (base64 of 32 bytes) in any real deployment. Without it, a
// development key is generated once and kept in the database, with a warning: like the
// personal data keys, which are then unwrapped too, it protects nothing against a copy of
// the database.
func supportMasterKey(ctx context.Context, d *deps) ([]byte, error) {
	if d.cfg.MasterKey != nil {
		return d.cfg.MasterKey, nil
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	if _, err := d.db.Exec(ctx, `INSERT INTO support_development_key (key) VALUES ($1) ON CONFLICT DO NOTHING`, fresh); err != nil {
		return nil, fmt.Errorf("development master key: %w", err)
	}
	var k []byte
	if err := d.db.QueryRow(ctx, `SELECT key FROM support_development_key`).Scan(&k); err != nil {
		return nil, fmt.Errorf("development master key: %w", err)
	}
	d.log.Warn("LEDGERDESK_MASTER_KEY is not set: attachments and two-factor secrets are sealed under a development key kept in the database; set the variable in production")
	return k, nil
}

// supportKeys derives the attachment store's master key and the support service's secret
// key from the master key, each for its own purpose.
func supportKeys(master []byte) (attachmentsKey, serviceKey []byte, err error) {
	if attachmentsKey, err = hkdf.Key(sha256.New, master, nil, "ledgerdesk attachments master v1", 32); err != nil {
		return nil, nil, err
	}
	if serviceKey, err = hkdf.Key(sha256.New, master, nil, "ledgerdesk support secrets v1", 32); err != nil {
		return nil, nil, err
	}
	return attachmentsKey, serviceKey, nil
}

// supportService builds the support service on d, with clock now (nil: the real clock).
func supportService(d *deps, cmds commands.Deps, now func() time.Time) (*support.Service, error) {
	master, err := supportMasterKey(context.Background(), d)
	if err != nil {
		return nil, err
	}
	filesKey, serviceKey, err := supportKeys(master)
	if err != nil {
		return nil, err
	}
	files, err := attachmentstore.New(d.db, attachmentstore.Config{MasterKey: filesKey})
	if err != nil {
		return nil, err
	}
	return support.New(support.Config{Deps: cmds, DB: d.db, Attachments: files, SecretKey: serviceKey, Now: now})
}

// withSupport runs f with the support service.
func withSupport(cmd *cobra.Command, f func(ctx context.Context, d *deps, svc *support.Service) error) error {
	return withDeps(cmd, func(ctx context.Context, d *deps) error {
		cmds, err := d.commandDeps()
		if err != nil {
			return err
		}
		svc, err := supportService(d, cmds, nil)
		if err != nil {
			return err
		}
		return f(ctx, d, svc)
	})
}

// supportProjections are the support read models and policies on svc.
func supportProjections(d *deps, svc *support.Service) (readModels, policyModels []projections.Projection) {
	return []projections.Projection{readmodel.NewTickets(svc.Codec()), readmodel.NewAccounts(svc.Codec())},
		policies.Policies(svc, d.log)
}

// supSettle runs ps until each has caught up with the history, then stops them. When
// another process (serve, project) owns a projection, this one waits for that process to
// catch up instead. A CLI command uses it to read its own writes, and to let a policy act
// at once when no projector is running.
// supSettleReadModels brings the support read models up to date before a read command
// answers from them.
func supSettleReadModels(ctx context.Context, d *deps, svc *support.Service) error {
	rms, _ := supportProjections(d, svc)
	return supSettle(ctx, d, rms, 30*time.Second)
}

func supSettle(ctx context.Context, d *deps, ps []projections.Projection, timeout time.Duration) error {
	_, err := projector.CatchUp(ctx, d.db, d.store, ps, timeout)
	return err
}

// supActorFlag is the --as flag every acting command has: an account id, or the email of a
// support-site account.
func supActorFlag(cmd *cobra.Command, as *string) {
	cmd.Flags().StringVar(as, "as", "", "who is acting: an account id or a support-site email (default $LEDGERDESK_ACTOR)")
	prev := cmd.PreRunE
	cmd.PreRunE = func(c *cobra.Command, args []string) error {
		if *as == "" {
			*as = settings(c).Actor
		}
		if prev != nil {
			return prev(c, args)
		}
		return nil
	}
}

// supResolveAccount turns an id or an email into an account id; emails are looked up in
// realm.
func supResolveAccount(ctx context.Context, svc *support.Service, realm account.Realm, idOrEmail string) (string, error) {
	if idOrEmail == "" {
		return "", fmt.Errorf("%w: say who is acting with --as or LEDGERDESK_ACTOR", support.ErrUnknownActor)
	}
	if !strings.Contains(idOrEmail, "@") {
		return idOrEmail, nil
	}
	id, found, err := svc.LookupEmail(ctx, realm, idOrEmail)
	if err != nil {
		return "", err
	}
	if !found {
		return "", fmt.Errorf("%w: no %s account is registered with that email", account.ErrAccountNotFound, realm)
	}
	return id, nil
}

// supMeta is fresh command metadata for the support-site account named by as.
func supMeta(ctx context.Context, svc *support.Service, as string) (commands.Metadata, error) {
	id, err := supResolveAccount(ctx, svc, account.RealmSupport, as)
	if err != nil {
		return commands.Metadata{}, err
	}
	return commands.Metadata{CommandID: commands.NewCommandID(), Actor: id}, nil
}

// supReadPassword reads a password from the first line of stdin, for --password-stdin.
func supReadPassword(cmd *cobra.Command) (string, error) {
	var b strings.Builder
	buf := make([]byte, 1)
	for {
		n, err := cmd.InOrStdin().Read(buf)
		if n == 1 {
			if buf[0] == '\n' {
				break
			}
			b.WriteByte(buf[0])
		}
		if err != nil {
			break
		}
		if b.Len() > 4096 {
			return "", errors.New("password on stdin is too long")
		}
	}
	return strings.TrimRight(b.String(), "\r"), nil
}
