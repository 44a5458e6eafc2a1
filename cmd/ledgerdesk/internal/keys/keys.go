// Package keys is what the binary does with its master key beyond handing it to the
// stores: derive the support centre's keys from it, move a development database off the
// key that used to be kept in its support_development_key table, and rotate every key
// wrapped or sealed under it (`ledgerdesk keys rotate`).
package keys

import (
	"context"
	"crypto/hkdf"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/adapters/attachmentstore"
	"ledgerdesk/adapters/postgres"
	support "ledgerdesk/commands/support"
)

// SupportKeys derives the attachment store's master key and the support service's secret
// key from the master key, each for its own purpose. It is the derivation the binary's
// supportKeys has always made: data sealed by either reads with the other.
func SupportKeys(master []byte) (attachmentsKey, serviceKey []byte, err error) {
	if attachmentsKey, err = hkdf.Key(sha256.New, master, nil, "ledgerdesk attachments master v1", 32); err != nil {
		return nil, nil, err
	}
	if serviceKey, err = hkdf.Key(sha256.New, master, nil, "ledgerdesk support secrets v1", 32); err != nil {
		return nil, nil, err
	}
	return attachmentsKey, serviceKey, nil
}

// Report is what Rotate and AdoptSupportKey did.
type Report struct {
	Personal    postgres.Rotated
	Attachments attachmentstore.Rotated
	Secrets     support.RotatedSecrets
	// FromTable says the support centre's old keys were derived from the key in the
	// support_development_key table, and that the table's row was then deleted.
	FromTable bool
}

// Progress is told, after each batch, which table is being rotated and how far it is.
type Progress func(table string, done, total int64)

// Rotate rewraps every key under oldMaster (nil: the deployment had none) with newMaster
// (32 bytes): the personal data keys (postgres.RotateMasterKey), and the support centre's
// attachment keys and two-factor secrets, under the keys SupportKeys derives. Without an
// old master key the support centre's keys were derived from the development key in
// support_development_key: they are moved from it and its row deleted (see
// AdoptSupportKey). Every stage is resumable and run even if an earlier one found keys
// it could not open; the error then joins what each stage could not do. Stop the server
// first (a server still on the old key creates keys under it), and restart it with
// newMaster.
func Rotate(ctx context.Context, pool *pgxpool.Pool, oldMaster, newMaster []byte, progress Progress) (Report, error) {
	var r Report
	var errs []error
	var err error
	r.Personal, err = postgres.RotateMasterKey(ctx, pool, oldMaster, newMaster, stage(progress, "personal_data_keys"))
	if err != nil {
		if ctx.Err() != nil {
			return r, err
		}
		errs = append(errs, err)
	}
	oldSupport := oldMaster
	if oldSupport == nil {
		if oldSupport, err = tableKey(ctx, pool); err != nil {
			return r, errors.Join(append(errs, err)...)
		}
		r.FromTable = oldSupport != nil
	}
	if oldSupport != nil {
		if err := rotateSupport(ctx, pool, oldSupport, newMaster, progress, &r); err != nil {
			errs = append(errs, err)
		}
	}
	if r.FromTable && len(errs) == 0 {
		if err := dropTableKey(ctx, pool); err != nil {
			errs = append(errs, err)
		}
	} else {
		r.FromTable = false
	}
	return r, errors.Join(errs...)
}

// AdoptSupportKey moves a development database's support centre keys (attachment keys,
// two-factor secrets) from the key kept in its support_development_key table, where the
// binary used to keep it, to those derived from master (the development key file's key,
// or a master key configured since), then deletes the table's row. The binary calls it at
// start-up, before building the support service: it costs one query when the table is
// empty (every database from now on), and is idempotent and resumable when it is not.
// Personal data keys are not touched: those were stored unwrapped and still read; `keys
// rotate` wraps them.
func AdoptSupportKey(ctx context.Context, pool *pgxpool.Pool, master []byte, progress Progress) (adopted bool, r Report, err error) {
	old, err := tableKey(ctx, pool)
	if err != nil || old == nil {
		return false, r, err
	}
	if err := rotateSupport(ctx, pool, old, master, progress, &r); err != nil {
		return false, r, fmt.Errorf("moving the support centre's keys off the development key kept in the database: %w", err)
	}
	if err := dropTableKey(ctx, pool); err != nil {
		return false, r, err
	}
	r.FromTable = true
	return true, r, nil
}

func rotateSupport(ctx context.Context, pool *pgxpool.Pool, oldMaster, newMaster []byte, progress Progress, r *Report) error {
	oldFiles, oldService, err := SupportKeys(oldMaster)
	if err != nil {
		return err
	}
	newFiles, newService, err := SupportKeys(newMaster)
	if err != nil {
		return err
	}
	var errs []error
	if r.Attachments, err = attachmentstore.RotateMasterKey(ctx, pool, oldFiles, newFiles, 0, stage(progress, "attachment_keys")); err != nil {
		if ctx.Err() != nil {
			return err
		}
		errs = append(errs, err)
	}
	if r.Secrets, err = support.RotateSecretKey(ctx, pool, oldService, newService); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func stage(p Progress, table string) func(done, total int64) {
	if p == nil {
		return nil
	}
	return func(done, total int64) { p(table, done, total) }
}

// tableKey is the key in support_development_key, or nil.
func tableKey(ctx context.Context, pool *pgxpool.Pool) ([]byte, error) {
	var k []byte
	err := pool.QueryRow(ctx, `SELECT key FROM support_development_key`).Scan(&k)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the development key kept in the database: %w", err)
	}
	return k, nil
}

func dropTableKey(ctx context.Context, pool *pgxpool.Pool) error {
	if _, err := pool.Exec(ctx, `DELETE FROM support_development_key`); err != nil {
		return fmt.Errorf("deleting the development key kept in the database: %w", err)
	}
	return nil
}
