package postgres_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"sync"
	"testing"
	"time"

	"ledgerdesk/adapters/postgres"

	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/codec"
)

// ctx is the background context every key store test runs in.
var ctx = context.Background()

func newPGKeys(t *testing.T, cfg postgres.KeyStoreConfig) (*postgres.KeyStore, func(cfg postgres.KeyStoreConfig) *postgres.KeyStore) {
	t.Helper()
	pool := pgtest.NewPool(t)
	open := func(cfg postgres.KeyStoreConfig) *postgres.KeyStore {
		t.Helper()
		s, err := postgres.NewKeyStore(pool, cfg)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	return open(cfg), open
}

func TestPostgresKeyStoreKeepsOneKeyPerSubject(t *testing.T) {
	t.Parallel()
	keys, open := newPGKeys(t, postgres.KeyStoreConfig{})
	if _, _, err := keys.Lookup(ctx, "acc-1"); !errors.Is(err, codec.ErrNoKey) {
		t.Fatalf("lookup before any key: got %v, want ErrNoKey", err)
	}
	k1, err := keys.KeyFor(ctx, "acc-1")
	if err != nil {
		t.Fatal(err)
	}
	if k1 == (codec.Key{}) {
		t.Fatal("an all-zero key")
	}
	// Another process (no shared cache) sees the same key.
	k2, erased, err := open(postgres.KeyStoreConfig{CacheTTL: -1}).Lookup(ctx, "acc-1")
	if err != nil || erased || k2 != k1 {
		t.Fatalf("lookup from a second store: %v erased=%v same=%v", err, erased, k2 == k1)
	}
	if k3, _ := keys.KeyFor(ctx, "acc-2"); k3 == k1 {
		t.Fatal("two subjects share a key")
	}
	if _, err := keys.KeyFor(ctx, ""); !errors.Is(err, codec.ErrNoSubject) {
		t.Fatalf("empty subject: %v", err)
	}
}

func TestPostgresKeyStoreRacingCreatorsAgreeOnOneKey(t *testing.T) {
	t.Parallel()
	_, open := newPGKeys(t, postgres.KeyStoreConfig{})
	const n = 8
	got := make([]codec.Key, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		s := open(postgres.KeyStoreConfig{})
		wg.Go(func() { got[i], errs[i] = s.KeyFor(ctx, "racer") })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil || got[i] != got[0] {
			t.Fatalf("creator %d: %v, same key as creator 0: %v", i, errs[i], got[i] == got[0])
		}
	}
}

func TestPostgresErasureKeepsTheRowAndIsFinal(t *testing.T) {
	t.Parallel()
	keys, open := newPGKeys(t, postgres.KeyStoreConfig{})
	pool := poolOf(t, keys)
	if _, err := keys.KeyFor(ctx, "acc-1"); err != nil {
		t.Fatal(err)
	}
	if err := keys.Erase(ctx, "acc-1"); err != nil {
		t.Fatal(err)
	}
	var keyIsNull, erasedAtSet bool
	if err := pool.QueryRow(ctx, `SELECT key IS NULL, erased_at IS NOT NULL FROM personal_data_keys WHERE subject = 'acc-1'`).Scan(&keyIsNull, &erasedAtSet); err != nil {
		t.Fatalf("the erased subject's row: %v", err)
	}
	if !keyIsNull || !erasedAtSet {
		t.Fatalf("after erasure key is null = %v, erased_at set = %v", keyIsNull, erasedAtSet)
	}
	fresh := open(postgres.KeyStoreConfig{CacheTTL: -1})
	if _, erased, err := fresh.Lookup(ctx, "acc-1"); err != nil || !erased {
		t.Fatalf("lookup after erasure: erased=%v err=%v", erased, err)
	}
	if _, err := fresh.KeyFor(ctx, "acc-1"); !errors.Is(err, codec.ErrSubjectErased) {
		t.Fatalf("KeyFor after erasure: got %v, want ErrSubjectErased", err)
	}
	if err := fresh.Erase(ctx, "acc-1"); err != nil {
		t.Fatalf("erasing twice: %v", err)
	}
	if err := fresh.Erase(ctx, "never-keyed"); err != nil {
		t.Fatal(err)
	}
	if _, err := fresh.KeyFor(ctx, "never-keyed"); !errors.Is(err, codec.ErrSubjectErased) {
		t.Fatalf("a subject erased before having a key got one: %v", err)
	}

	// The table itself refuses to forget or undo an erasure.
	if _, err := pool.Exec(ctx, `DELETE FROM personal_data_keys WHERE subject = 'acc-1'`); err == nil {
		t.Fatal("DELETE of a key row was allowed")
	}
	if _, err := pool.Exec(ctx, `UPDATE personal_data_keys SET key = '\x00'::bytea, erased_at = NULL WHERE subject = 'acc-1'`); err == nil {
		t.Fatal("un-erasing a key was allowed")
	}
}

func TestPostgresMasterKeyWrapsKeysAtRest(t *testing.T) {
	t.Parallel()
	master := make([]byte, 32)
	_, _ = rand.Read(master)
	keys, open := newPGKeys(t, postgres.KeyStoreConfig{MasterKey: master})
	pool := poolOf(t, keys)
	k, err := keys.KeyFor(ctx, "acc-1")
	if err != nil {
		t.Fatal(err)
	}
	var stored []byte
	if err := pool.QueryRow(ctx, `SELECT key FROM personal_data_keys WHERE subject = 'acc-1'`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(stored, k[:]) {
		t.Fatal("the key is stored in the clear although a master key is configured")
	}
	if got, _, err := open(postgres.KeyStoreConfig{MasterKey: master}).Lookup(ctx, "acc-1"); err != nil || got != k {
		t.Fatalf("unwrapping with the same master key: %v", err)
	}
	if _, _, err := open(postgres.KeyStoreConfig{}).Lookup(ctx, "acc-1"); !errors.Is(err, codec.ErrMasterKey) {
		t.Fatalf("reading a wrapped key without the master key: got %v, want ErrMasterKey", err)
	}
	wrong := make([]byte, 32)
	if _, _, err := open(postgres.KeyStoreConfig{MasterKey: wrong}).Lookup(ctx, "acc-1"); !errors.Is(err, codec.ErrMasterKey) {
		t.Fatalf("reading with the wrong master key: got %v, want ErrMasterKey", err)
	}
	// A row moved to another subject does not unwrap.
	if _, err := pool.Exec(ctx, `INSERT INTO personal_data_keys (subject, key) SELECT 'acc-copy', key FROM personal_data_keys WHERE subject = 'acc-1'`); err != nil {
		t.Fatal(err)
	}
	if _, _, err := open(postgres.KeyStoreConfig{MasterKey: master}).Lookup(ctx, "acc-copy"); !errors.Is(err, codec.ErrMasterKey) {
		t.Fatalf("a wrapped key copied to another subject: got %v, want ErrMasterKey", err)
	}
	if _, err := postgres.NewKeyStore(pool, postgres.KeyStoreConfig{MasterKey: []byte("short")}); !errors.Is(err, codec.ErrMasterKey) {
		t.Fatalf("a short master key: got %v", err)
	}
}

func TestParseMasterKey(t *testing.T) {
	if _, err := codec.ParseMasterKey("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "not base64!", "AAEC"} {
		if _, err := codec.ParseMasterKey(bad); !errors.Is(err, codec.ErrMasterKey) {
			t.Errorf("ParseMasterKey(%q): got %v, want ErrMasterKey", bad, err)
		}
	}
}

func poolOf(t *testing.T, s *postgres.KeyStore) *pgxpool.Pool {
	t.Helper()
	return s.Pool()
}

func TestCachedKeysHonourErasure(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	cached, open := newPGKeys(t, postgres.KeyStoreConfig{CacheTTL: time.Minute})
	cached.SetClock(func() time.Time { return now })
	if _, err := cached.KeyFor(ctx, "acc-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := cached.KeyFor(ctx, "acc-2"); err != nil {
		t.Fatal(err)
	}

	// Erased through this store: effective at once.
	if err := cached.Erase(ctx, "acc-1"); err != nil {
		t.Fatal(err)
	}
	if _, erased, err := cached.Lookup(ctx, "acc-1"); err != nil || !erased {
		t.Fatalf("erased here, still cached as a key: erased=%v err=%v", erased, err)
	}

	// Erased by another process: effective once the TTL has passed.
	if err := open(postgres.KeyStoreConfig{}).Erase(ctx, "acc-2"); err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Minute)
	if _, erased, err := cached.Lookup(ctx, "acc-2"); err != nil || !erased {
		t.Fatalf("erased elsewhere, still readable after the TTL: erased=%v err=%v", erased, err)
	}
}
