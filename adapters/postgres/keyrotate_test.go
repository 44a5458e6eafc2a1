package postgres_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/adapters/postgres"
	"ledgerdesk/codec"
)

func masterKey(t *testing.T) []byte {
	t.Helper()
	k := make([]byte, codec.KeySize)
	if _, err := rand.Read(k); err != nil {
		t.Fatal(err)
	}
	return k
}

// rotationFixture is a database with n subjects' keys created under master (nil: none),
// and what each key is.
type rotationFixture struct {
	pool *pgxpool.Pool
	open func(cfg postgres.KeyStoreConfig) *postgres.KeyStore
	keys map[string]codec.Key
}

func newRotationFixture(t *testing.T, n int, master []byte) *rotationFixture {
	t.Helper()
	s, open := newPGKeys(t, postgres.KeyStoreConfig{MasterKey: master})
	f := &rotationFixture{pool: poolOf(t, s), open: open, keys: map[string]codec.Key{}}
	f.add(t, n, "subject", master)
	return f
}

func (f *rotationFixture) add(t *testing.T, n int, prefix string, master []byte) {
	t.Helper()
	s := f.open(postgres.KeyStoreConfig{MasterKey: master})
	for i := range n {
		subject := fmt.Sprintf("%s-%04d", prefix, i)
		k, err := s.KeyFor(ctx, subject)
		if err != nil {
			t.Fatal(err)
		}
		f.keys[subject] = k
	}
}

// readsUnder says whether every key reads, unchanged, under master, from a store with no
// cache (another process).
func (f *rotationFixture) readsUnder(t *testing.T, master []byte) error {
	t.Helper()
	s := f.open(postgres.KeyStoreConfig{MasterKey: master, CacheTTL: -1})
	for subject, want := range f.keys {
		got, erased, err := s.Lookup(ctx, subject)
		if err != nil {
			return err
		}
		if erased || got != want {
			return fmt.Errorf("%s: erased=%v, same key=%v", subject, erased, got == want)
		}
	}
	return nil
}

// noneReadUnder says that no key reads under master.
func (f *rotationFixture) noneReadUnder(t *testing.T, master []byte) {
	t.Helper()
	s := f.open(postgres.KeyStoreConfig{MasterKey: master, CacheTTL: -1})
	for subject := range f.keys {
		if _, _, err := s.Lookup(ctx, subject); !errors.Is(err, codec.ErrMasterKey) {
			t.Fatalf("%s still reads under the retired key (%v)", subject, err)
		}
	}
}

func TestRotationWrapsKeysStoredWithoutAMasterKeyThenRewrapsThem(t *testing.T) {
	t.Parallel()
	f := newRotationFixture(t, 25, nil)
	var stored []byte
	if err := f.pool.QueryRow(ctx, `SELECT key FROM personal_data_keys WHERE subject = 'subject-0000'`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if len(stored) != codec.KeySize {
		t.Fatalf("the fixture's keys are not stored unwrapped (%d bytes)", len(stored))
	}

	k1, k2 := masterKey(t), masterKey(t)
	// Unwrapped keys open under any master key, or none.
	if err := postgres.VerifyMasterKey(ctx, f.pool, k1); err != nil {
		t.Fatalf("verifying K1 on unwrapped keys: %v", err)
	}
	if err := postgres.VerifyMasterKey(ctx, f.pool, nil); err != nil {
		t.Fatalf("verifying no key on unwrapped keys: %v", err)
	}
	var calls []int64
	r, err := postgres.RotateMasterKeyInBatches(ctx, f.pool, nil, k1, 10, func(done, total int64) {
		if total != 25 {
			t.Errorf("progress total %d, want 25", total)
		}
		calls = append(calls, done)
	})
	if err != nil {
		t.Fatal(err)
	}
	if r.Wrapped != 25 || r.Rewrapped != 0 || r.Already != 0 || r.Unreadable != 0 {
		t.Fatalf("first rotation: %+v, want 25 wrapped", r)
	}
	if fmt.Sprint(calls) != "[10 20 25]" {
		t.Fatalf("progress %v, want [10 20 25]", calls)
	}
	if err := f.readsUnder(t, k1); err != nil {
		t.Fatalf("after wrapping under K1: %v", err)
	}
	f.noneReadUnder(t, nil)
	if err := postgres.VerifyMasterKey(ctx, f.pool, k1); err != nil {
		t.Fatalf("K1 does not verify after rotating to it: %v", err)
	}
	if err := postgres.VerifyMasterKey(ctx, f.pool, nil); !errors.Is(err, codec.ErrMasterKey) {
		t.Fatalf("no key verifies on a wrapped database: %v", err)
	}

	r, err = postgres.RotateMasterKeyInBatches(ctx, f.pool, k1, k2, 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Rewrapped != 25 || r.Wrapped != 0 || r.Already != 0 {
		t.Fatalf("second rotation: %+v, want 25 rewrapped", r)
	}
	if err := f.readsUnder(t, k2); err != nil {
		t.Fatalf("after rotating to K2: %v", err)
	}
	f.noneReadUnder(t, k1)
	if err := postgres.VerifyMasterKey(ctx, f.pool, k1); !errors.Is(err, codec.ErrMasterKey) {
		t.Fatalf("the retired key verifies: %v", err)
	}

	// Running it again changes nothing.
	r, err = postgres.RotateMasterKey(ctx, f.pool, k1, k2, nil)
	if err != nil || r.Already != 25 || r.Rewrapped+r.Wrapped != 0 {
		t.Fatalf("re-run: %+v, %v; want 25 already under K2", r, err)
	}
}

func TestAnInterruptedRotationFinishesWhenRunAgain(t *testing.T) {
	t.Parallel()
	k1, k2 := masterKey(t), masterKey(t)
	f := newRotationFixture(t, 30, k1)
	f.add(t, 5, "zz-legacy", nil) // keys from before any master key, in the last batch

	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := 0
	_, err := postgres.RotateMasterKeyInBatches(cctx, f.pool, k1, k2, 10, func(done, total int64) {
		batches++
		cancel() // the operator's ^C, or a crash, after the first batch committed
	})
	if !errors.Is(err, context.Canceled) || batches != 1 {
		t.Fatalf("interrupted rotation: %v after %d batches, want context.Canceled after 1", err, batches)
	}
	var underK2 int
	s2 := f.open(postgres.KeyStoreConfig{MasterKey: k2, CacheTTL: -1})
	for subject := range f.keys {
		if _, _, err := s2.Lookup(ctx, subject); err == nil {
			underK2++
		}
	}
	// The first batch's ten are under K2 (the legacy five read under any key).
	if underK2 < 10 || underK2 == len(f.keys) {
		t.Fatalf("after the interruption %d of %d keys read under K2: the first batch did not commit, or the rest ran", underK2, len(f.keys))
	}

	r, err := postgres.RotateMasterKeyInBatches(ctx, f.pool, k1, k2, 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Already != 10 || r.Rewrapped != 20 || r.Wrapped != 5 {
		t.Fatalf("the re-run: %+v, want 10 already done, 20 rewrapped, 5 wrapped", r)
	}
	if err := f.readsUnder(t, k2); err != nil {
		t.Fatal(err)
	}
	f.noneReadUnder(t, k1)
}

func TestRotationLeavesKeysUnderAnUnknownMasterKeyAndSaysSo(t *testing.T) {
	t.Parallel()
	k1, k2, stranger := masterKey(t), masterKey(t), masterKey(t)
	f := newRotationFixture(t, 12, k1)
	strange := &rotationFixture{pool: f.pool, open: f.open, keys: map[string]codec.Key{}}
	strange.add(t, 3, "strange", stranger)
	var before [][]byte
	rows, _ := f.pool.Query(ctx, `SELECT key FROM personal_data_keys WHERE subject LIKE 'strange-%' ORDER BY subject`)
	for rows.Next() {
		var k []byte
		_ = rows.Scan(&k)
		before = append(before, k)
	}
	if rows.Err() != nil || len(before) != 3 {
		t.Fatalf("reading the strange keys: %v (%d)", rows.Err(), len(before))
	}

	r, err := postgres.RotateMasterKeyInBatches(ctx, f.pool, k1, k2, 5, nil)
	if !errors.Is(err, postgres.ErrKeysUnreadable) {
		t.Fatalf("got %v, want ErrKeysUnreadable", err)
	}
	if r.Unreadable != 3 || r.Rewrapped != 12 || len(r.Subjects) != 3 || r.Subjects[0] != "strange-0000" {
		t.Fatalf("rotation with strangers: %+v", r)
	}
	for _, want := range []string{"3 keys", "strange-0000"} {
		if !bytes.Contains([]byte(err.Error()), []byte(want)) {
			t.Fatalf("the error does not say %q: %v", want, err)
		}
	}
	// Nothing else lost: the known keys moved, the strangers are byte for byte as they were
	// and still open with their own key.
	if err := f.readsUnder(t, k2); err != nil {
		t.Fatal(err)
	}
	if err := strange.readsUnder(t, stranger); err != nil {
		t.Fatalf("a key the rotation could not read was changed: %v", err)
	}
	var i int
	rows, _ = f.pool.Query(ctx, `SELECT key FROM personal_data_keys WHERE subject LIKE 'strange-%' ORDER BY subject`)
	for rows.Next() {
		var k []byte
		_ = rows.Scan(&k)
		if !bytes.Equal(k, before[i]) {
			t.Fatalf("strange key %d was rewritten", i)
		}
		i++
	}
}

func TestRotationKeepsErasedSubjectsErased(t *testing.T) {
	t.Parallel()
	k1 := masterKey(t)
	f := newRotationFixture(t, 4, nil)
	s := f.open(postgres.KeyStoreConfig{})
	for _, subject := range []string{"subject-0001", "subject-0003", "never-keyed"} {
		if err := s.Erase(ctx, subject); err != nil {
			t.Fatal(err)
		}
		delete(f.keys, subject)
	}
	r, err := postgres.RotateMasterKeyInBatches(ctx, f.pool, nil, k1, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Erased != 3 || r.Wrapped != 2 {
		t.Fatalf("rotation with erased subjects: %+v, want 3 erased, 2 wrapped", r)
	}
	if err := f.readsUnder(t, k1); err != nil {
		t.Fatal(err)
	}
	after := f.open(postgres.KeyStoreConfig{MasterKey: k1, CacheTTL: -1})
	for _, subject := range []string{"subject-0001", "subject-0003", "never-keyed"} {
		if _, erased, err := after.Lookup(ctx, subject); err != nil || !erased {
			t.Fatalf("%s after rotation: erased=%v, %v", subject, erased, err)
		}
		if _, err := after.KeyFor(ctx, subject); !errors.Is(err, codec.ErrSubjectErased) {
			t.Fatalf("%s was given a key after rotation: %v", subject, err)
		}
	}
}

func TestRotationRefusesABadNewKey(t *testing.T) {
	t.Parallel()
	f := newRotationFixture(t, 1, nil)
	for _, k := range [][]byte{nil, make([]byte, 16)} {
		if _, err := postgres.RotateMasterKey(ctx, f.pool, nil, k, nil); !errors.Is(err, codec.ErrMasterKey) {
			t.Fatalf("new key of %d bytes: %v", len(k), err)
		}
	}
	if _, err := postgres.RotateMasterKey(ctx, f.pool, make([]byte, 5), masterKey(t), nil); !errors.Is(err, codec.ErrMasterKey) {
		t.Fatalf("an old key of 5 bytes: %v", err)
	}
	if err := f.readsUnder(t, nil); err != nil {
		t.Fatalf("a refused rotation changed keys: %v", err)
	}
}
