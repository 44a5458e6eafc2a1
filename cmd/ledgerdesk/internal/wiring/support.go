package wiring

import (
	"context"
	"fmt"
	"time"

	"ledgerdesk/cmd/ledgerdesk/internal/keys"

	"ledgerdesk/adapters/attachmentstore"
	"ledgerdesk/commands/support"
)

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
	master, err := r.MasterKey(context.Background())
	if err != nil {
		return nil, err
	}
	filesKey, serviceKey, err := keys.SupportKeys(master)
	if err != nil {
		return nil, err
	}
	files, err := attachmentstore.New(r.DB, attachmentstore.Config{MasterKey: filesKey})
	if err != nil {
		return nil, err
	}
	return support.New(support.Config{Deps: cmds, DB: r.DB, Attachments: files, SecretKey: serviceKey, Now: now,
		Modulus: r.Config.Modulus})
}
