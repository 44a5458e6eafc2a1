package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/codec"
)

// RotateBatchSize is how many keys RotateMasterKey rewraps per transaction: small enough
// that a table of millions is never held in one transaction, large enough that the round
// trips do not dominate.
const RotateBatchSize = 1000

// ErrKeysUnreadable says some stored keys open with neither the old nor the new master
// key: RotateMasterKey left them as they were.
var ErrKeysUnreadable = errors.New("personal data keys wrapped under an unknown master key")

// Rotated counts what RotateMasterKey did with the rows of personal_data_keys.
type Rotated struct {
	// Wrapped were stored unwrapped (no master key) and are now wrapped under the new one.
	Wrapped int64
	// Rewrapped were wrapped under the old master key and now are under the new one.
	Rewrapped int64
	// Already were wrapped under the new master key (a re-run, or keys created by a
	// server already given the new key) and were left as they were.
	Already int64
	// Erased are crypto-shredded subjects: no key to rewrap, and they stay erased.
	Erased int64
	// Unreadable open with neither key, and were left as they were; Subjects names the
	// first few of them.
	Unreadable int64
	Subjects   []string
}

// maxNamed bounds Rotated.Subjects.
const maxNamed = 20

// RotateMasterKey rewraps every personal data key under newKey, RotateBatchSize rows per
// transaction; see RotateMasterKeyInBatches.
func RotateMasterKey(ctx context.Context, pool *pgxpool.Pool, oldKey, newKey []byte, progress func(done, total int64)) (Rotated, error) {
	return RotateMasterKeyInBatches(ctx, pool, oldKey, newKey, RotateBatchSize, progress)
}

// RotateMasterKeyInBatches rewraps every personal data key under newKey (32 bytes): a key
// stored unwrapped is wrapped, one wrapped under oldKey (nil when the deployment had no
// master key) is rewrapped, and one already under newKey is left. Each batch of batch
// keys commits on its own, so an interrupted rotation keeps what it did, and running it
// again with the same keys finishes the job. Erased subjects stay erased. A key that
// opens with neither key is left untouched and counted; the rotation carries on with the
// others and then fails with ErrKeysUnreadable, saying how many.
//
// The rows of a batch are locked while it is rewrapped, so an erasure running meanwhile
// waits for the batch rather than being undone by it. A server still running with the old
// key creates its new keys under the old key: stop it first, or run the rotation again
// after restarting it with the new key. progress, if not nil, is called after each batch
// with the keys seen so far (erased ones included) and the table's size when the
// rotation began.
func RotateMasterKeyInBatches(ctx context.Context, pool *pgxpool.Pool, oldKey, newKey []byte, batch int, progress func(done, total int64)) (Rotated, error) {
	var r Rotated
	if len(newKey) != codec.KeySize {
		return r, fmt.Errorf("%w: the new master key has %d bytes, want %d", codec.ErrMasterKey, len(newKey), codec.KeySize)
	}
	if batch <= 0 {
		batch = RotateBatchSize
	}
	to, err := NewKeyStore(pool, KeyStoreConfig{MasterKey: newKey})
	if err != nil {
		return r, err
	}
	from, err := NewKeyStore(pool, KeyStoreConfig{MasterKey: oldKey})
	if err != nil {
		return r, fmt.Errorf("the old master key: %w", err)
	}
	var total int64
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM personal_data_keys`).Scan(&total); err != nil {
		return r, fmt.Errorf("counting personal data keys: %w", err)
	}
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM personal_data_keys WHERE key IS NULL`).Scan(&r.Erased); err != nil {
		return r, fmt.Errorf("counting erased personal data keys: %w", err)
	}
	done := r.Erased
	after := ""
	for {
		var n int
		err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			var err error
			n, after, err = rotateBatch(ctx, tx, from, to, after, batch, &r)
			return err
		})
		if err != nil {
			return r, fmt.Errorf("rotating personal data keys after %q: %w", after, err)
		}
		if n == 0 {
			break
		}
		done += int64(n)
		if progress != nil {
			progress(done, total)
		}
		if n < batch {
			break
		}
	}
	if r.Unreadable > 0 {
		more := ""
		if r.Unreadable > int64(len(r.Subjects)) {
			more = ", ..."
		}
		return r, fmt.Errorf("%w: %d keys open with neither the old nor the new master key and were left as they were (%s%s); the other %d were rotated",
			ErrKeysUnreadable, r.Unreadable, strings.Join(r.Subjects, ", "), more, r.Wrapped+r.Rewrapped+r.Already)
	}
	return r, nil
}

// rotateBatch rewraps up to batch keys of subjects after after, in subject order, and
// returns how many it read and the last subject read.
func rotateBatch(ctx context.Context, tx pgx.Tx, from, to *KeyStore, after string, batch int, r *Rotated) (int, string, error) {
	rows, err := tx.Query(ctx, `SELECT subject, key FROM personal_data_keys
		WHERE subject > $1 AND key IS NOT NULL ORDER BY subject LIMIT $2 FOR UPDATE`, after, batch)
	if err != nil {
		return 0, after, err
	}
	type row struct {
		Subject string
		Key     []byte
	}
	read, err := pgx.CollectRows(rows, pgx.RowToStructByPos[row])
	if err != nil {
		return 0, after, err
	}
	var subjects []string
	var keys [][]byte
	for _, x := range read {
		if len(x.Key) != codec.KeySize {
			if _, err := to.unwrap(x.Subject, x.Key); err == nil {
				r.Already++
				continue
			}
		}
		k, err := from.unwrap(x.Subject, x.Key)
		if err != nil {
			r.Unreadable++
			if len(r.Subjects) < maxNamed {
				r.Subjects = append(r.Subjects, x.Subject)
			}
			continue
		}
		wrapped, err := to.wrap(x.Subject, k)
		if err != nil {
			return 0, after, err
		}
		if len(x.Key) == codec.KeySize {
			r.Wrapped++
		} else {
			r.Rewrapped++
		}
		subjects, keys = append(subjects, x.Subject), append(keys, wrapped)
	}
	if len(subjects) > 0 {
		if _, err := tx.Exec(ctx, `UPDATE personal_data_keys AS p SET key = v.key
			FROM unnest($1::text[], $2::bytea[]) AS v(subject, key)
			WHERE p.subject = v.subject AND p.key IS NOT NULL`, subjects, keys); err != nil {
			return 0, after, err
		}
	}
	if len(read) == 0 {
		return 0, after, nil
	}
	return len(read), read[len(read)-1].Subject, nil
}

// VerifyMasterKey checks that masterKey (nil: none) opens the keys already in the
// database, by trying a sample of them, so that a process given the wrong key (or a tool
// on a production database given none) refuses to start instead of creating new keys
// under a key the rest of the data is not under. Keys stored unwrapped, from before a
// master key was configured, open with any. An empty table passes.
func VerifyMasterKey(ctx context.Context, pool *pgxpool.Pool, masterKey []byte) error {
	s, err := NewKeyStore(pool, KeyStoreConfig{MasterKey: masterKey})
	if err != nil {
		return err
	}
	rows, err := pool.Query(ctx, `SELECT subject, key FROM personal_data_keys WHERE key IS NOT NULL AND length(key) <> $1 LIMIT 50`, codec.KeySize)
	if err != nil {
		return fmt.Errorf("checking the master key: %w", err)
	}
	var subject string
	var key []byte
	var bad int
	_, err = pgx.ForEachRow(rows, []any{&subject, &key}, func() error {
		if _, err := s.unwrap(subject, key); err != nil {
			bad++
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("checking the master key: %w", err)
	}
	if bad > 0 {
		if masterKey == nil {
			return fmt.Errorf("%w: the database's personal data keys are wrapped under a master key, and none is configured", codec.ErrMasterKey)
		}
		return fmt.Errorf("%w: %d of the database's personal data keys sampled do not open with the configured master key: it is not the key this database's data is under", codec.ErrMasterKey, bad)
	}
	return nil
}
