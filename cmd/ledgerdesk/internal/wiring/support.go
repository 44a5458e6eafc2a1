package wiring

import (
	"context"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"time"

	"ledgerdesk/adapters/attachmentstore"
	"ledgerdesk/commands/support"
)

// SupportMasterKey is the key the support centre's own keys are derived from:
// LEDGERDESK_MASTER_KEY (base64 of 32 bytes) in any real deployment. Without it, a
// development key is generated once and kept in the database, with a warning (the
// deployment carries on: that is what development means): like the personal data keys,
// which are then unwrapped too, it protects nothing against a copy of the database.
func (r *Runtime) SupportMasterKey(ctx context.Context) ([]byte, error) {
	if r.Config.MasterKey != nil {
		return r.Config.MasterKey, nil
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	if _, err := r.DB.Exec(ctx, `INSERT INTO support_development_key (key) VALUES ($1) ON CONFLICT DO NOTHING`, fresh); err != nil {
		return nil, fmt.Errorf("development master key: %w", err)
	}
	var k []byte
	if err := r.DB.QueryRow(ctx, `SELECT key FROM support_development_key`).Scan(&k); err != nil {
		return nil, fmt.Errorf("development master key: %w", err)
	}
	r.Log.Warn("LEDGERDESK_MASTER_KEY is not set: attachments and two-factor secrets are sealed under a development key kept in the database; set the variable in production")
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

// SupportService is the support service on r with the real clock, built once.
func (r *Runtime) SupportService() (*support.Service, error) {
	if r.svc != nil {
		return r.svc, nil
	}
	svc, err := r.NewSupportService(nil)
	if err != nil {
		return nil, fmt.Errorf("the support service: %w", err)
	}
	r.svc = svc
	return svc, nil
}

// NewSupportService builds another support service on r, with clock now (nil: the real
// clock): the demo seed and the tests write a history dated in the past.
func (r *Runtime) NewSupportService(now func() time.Time) (*support.Service, error) {
	cmds, err := r.CommandDeps()
	if err != nil {
		return nil, err
	}
	master, err := r.SupportMasterKey(context.Background())
	if err != nil {
		return nil, err
	}
	filesKey, serviceKey, err := supportKeys(master)
	if err != nil {
		return nil, err
	}
	files, err := attachmentstore.New(r.DB, attachmentstore.Config{MasterKey: filesKey})
	if err != nil {
		return nil, err
	}
	return support.New(support.Config{Deps: cmds, DB: r.DB, Attachments: files, SecretKey: serviceKey, Now: now})
}
