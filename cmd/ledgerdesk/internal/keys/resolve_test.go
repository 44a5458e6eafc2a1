package keys_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"ledgerdesk/adapters/postgres"
	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/cmd/ledgerdesk/internal/devkey"
	"ledgerdesk/cmd/ledgerdesk/internal/keys"
	"ledgerdesk/codec"
)

func TestResolveRefusesServeWithoutAKeyAndUsesTheFileForDevelopment(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewPool(t)
	path := filepath.Join(t.TempDir(), ".ledgerdesk", devkey.FileName)

	if _, err := keys.Resolve(ctx, pool, keys.Options{Serve: true, DevKeyPath: path}); !errors.Is(err, devkey.ErrNoMasterKey) {
		t.Fatalf("serve without a key: %v, want ErrNoMasterKey", err)
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("a refused serve created a development key")
	}

	demo, err := keys.Resolve(ctx, pool, keys.Options{Serve: true, Demo: true, DevKeyPath: path})
	if err != nil || !demo.DevKey || !demo.Created || len(demo.Master) != 32 {
		t.Fatalf("serve --demo: %+v, %v", demo, err)
	}
	// The server wraps keys under it, so a copy of the database alone opens nothing.
	ks, err := postgres.NewKeyStore(pool, postgres.KeyStoreConfig{MasterKey: demo.Master})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ks.KeyFor(ctx, "acc-1"); err != nil {
		t.Fatal(err)
	}
	bare, _ := postgres.NewKeyStore(pool, postgres.KeyStoreConfig{CacheTTL: -1})
	if _, _, err := bare.Lookup(ctx, "acc-1"); !errors.Is(err, codec.ErrMasterKey) {
		t.Fatalf("a key written by serve --demo reads without the key file: %v", err)
	}

	tool, err := keys.Resolve(ctx, pool, keys.Options{DevKeyPath: path})
	if err != nil || !tool.DevKey || tool.Created || !bytes.Equal(tool.Master, demo.Master) {
		t.Fatalf("a tool after serve --demo: %+v, %v; want the same development key", tool, err)
	}
	insecure, err := keys.Resolve(ctx, pool, keys.Options{Serve: true, InsecureDevKeys: true, DevKeyPath: path})
	if err != nil || !bytes.Equal(insecure.Master, demo.Master) {
		t.Fatalf("serve with the insecure switch: %v", err)
	}

	// A configured key that is not the one the data is under is refused, by serve and tools.
	wrong := newKey(t)
	for _, serve := range []bool{true, false} {
		if _, err := keys.Resolve(ctx, pool, keys.Options{MasterKey: wrong, Serve: serve, DevKeyPath: path}); !errors.Is(err, codec.ErrMasterKey) {
			t.Fatalf("the wrong master key (serve=%v): %v", serve, err)
		}
	}
}

func TestResolveRefusesADevelopmentKeyOnAProductionDatabase(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewPool(t)
	prod := newKey(t)
	ks, _ := postgres.NewKeyStore(pool, postgres.KeyStoreConfig{MasterKey: prod})
	if _, err := ks.KeyFor(ctx, "acc-1"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), devkey.FileName)
	// An operator runs a tool forgetting LEDGERDESK_MASTER_KEY: refused, not keys under a
	// development key beside the prod ones.
	if _, err := keys.Resolve(ctx, pool, keys.Options{DevKeyPath: path}); !errors.Is(err, codec.ErrMasterKey) {
		t.Fatalf("a tool without the key on a production database: %v", err)
	}
	got, err := keys.Resolve(ctx, pool, keys.Options{MasterKey: prod, Serve: true, DevKeyPath: path})
	if err != nil || got.DevKey || !bytes.Equal(got.Master, prod) {
		t.Fatalf("serve with the right key: %+v, %v", got, err)
	}
}

func TestResolveMovesAnOldDevelopmentDatabaseOffItsTableKey(t *testing.T) {
	t.Parallel()
	w, _ := oldDevelopmentDatabase(t)
	path := filepath.Join(t.TempDir(), devkey.FileName)
	r, err := keys.Resolve(ctx, w.env.Pool, keys.Options{Serve: true, Demo: true, DevKeyPath: path})
	if err != nil || !r.AdoptedSupportKey {
		t.Fatalf("make run on an old development database: %+v, %v", r, err)
	}
	if err := w.works(t, r.Master); err != nil {
		t.Fatalf("the old database under the key file: %v", err)
	}
	if n := tableRows(t, w); n != 0 {
		t.Fatalf("the table still holds %d keys", n)
	}
}
