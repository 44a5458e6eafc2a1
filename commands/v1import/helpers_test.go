package v1import_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/adapters/postgres"
	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/adapters/v1csv"
	"ledgerdesk/codec"
	"ledgerdesk/commands"
	"ledgerdesk/commands/v1import"
	"ledgerdesk/domain/cutover"
	"ledgerdesk/domain/decider"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/domain/v1item"
	"ledgerdesk/eventstore"
	"ledgerdesk/eventstore/memstore"
)

var (
	goLive = ledger.Date{Year: 2025, Month: time.February, Day: 3}
	feb20  = time.Date(2025, 2, 20, 10, 0, 0, 0, ledger.London)
)

const header = "v1_reference,clinician_id,clinician_name,patient_reference,work_date,description,amount,status\n"

func eventTypes() []decider.Event {
	var all []decider.Event
	for _, e := range v1item.EventTypes() {
		all = append(all, e)
	}
	for _, e := range cutover.EventTypes() {
		all = append(all, e)
	}
	return all
}

func newCodec(tb testing.TB, keys codec.KeyStore) *codec.Codec {
	tb.Helper()
	c, err := codec.New(keys, eventTypes()...)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// memDeps is a fresh in-memory store with the go-live date recorded.
func memDeps(tb testing.TB) (commands.Deps, eventstore.Store) {
	tb.Helper()
	store := memstore.New()
	deps := commands.Deps{Store: store, Codec: newCodec(tb, codec.NewMemoryKeyStore())}
	scheduleGoLive(tb, deps)
	return deps, store
}

// pgDeps is a fresh migrated database with the go-live date recorded; the pool is big
// enough for the import's workers.
func pgDeps(tb testing.TB) (commands.Deps, *pgxpool.Pool) {
	tb.Helper()
	cfg, err := pgxpool.ParseConfig(pgtest.NewDatabase(tb))
	if err != nil {
		tb.Fatal(err)
	}
	cfg.MaxConns = int32(workersForTest + 4)
	cfg.ConnConfig.RuntimeParams["synchronous_commit"] = "off"
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(pool.Close)
	keys, err := postgres.NewKeyStore(pool, postgres.KeyStoreConfig{})
	if err != nil {
		tb.Fatal(err)
	}
	deps := commands.Deps{Store: postgres.New(pool, postgres.Config{}), Codec: newCodec(tb, keys)}
	scheduleGoLive(tb, deps)
	return deps, pool
}

var workersForTest = v1import.DefaultWorkers

func scheduleGoLive(tb testing.TB, deps commands.Deps) {
	tb.Helper()
	if _, err := v1import.EnsureGoLive(context.Background(), deps, goLive, feb20, "system:test"); err != nil {
		tb.Fatal(err)
	}
}

func options(file string) v1import.Options {
	return v1import.Options{SourceFile: file, By: "clerk-1", At: feb20, Parse: v1csv.Options{}.Parse}
}

func importText(tb testing.TB, deps commands.Deps, text string, opts v1import.Options) (v1import.Report, error) {
	tb.Helper()
	return v1import.Import(context.Background(), deps, strings.NewReader(text), opts)
}

func mustImport(tb testing.TB, deps commands.Deps, data []byte, opts v1import.Options) v1import.Report {
	tb.Helper()
	rep, err := v1import.Import(context.Background(), deps, bytes.NewReader(data), opts)
	if err != nil {
		tb.Fatalf("import %s: %v", opts.SourceFile, err)
	}
	return rep
}

// itemStreams reads every event in the store, grouped by V1 item stream.
func itemStreams(tb testing.TB, store eventstore.Store) map[string][]eventstore.RecordedEvent {
	tb.Helper()
	out := map[string][]eventstore.RecordedEvent{}
	pos := eventstore.Start
	for {
		batch, err := store.ReadAll(context.Background(), pos, 1000)
		if err != nil {
			tb.Fatal(err)
		}
		if len(batch) == 0 {
			return out
		}
		for _, e := range batch {
			if eventstore.Category(e.StreamID) == "v1item" {
				out[e.StreamID] = append(out[e.StreamID], e)
			}
		}
		pos = batch[len(batch)-1].Position
	}
}

func newEmptyStore() eventstore.Store { return memstore.New() }

func mustAmount(s string) money.Amount { return money.GBP(s) }
