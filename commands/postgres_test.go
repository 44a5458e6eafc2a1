package commands_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/adapters/postgres"
	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/codec"
	"ledgerdesk/commands"
	"ledgerdesk/domain/decider"
	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/money"
)

func pgDeps(t *testing.T) (commands.Deps, *pgxpool.Pool) {
	t.Helper()
	pool := pgtest.NewPool(t)
	keys, err := postgres.NewKeyStore(pool, postgres.KeyStoreConfig{})
	if err != nil {
		t.Fatal(err)
	}
	events := append([]decider.Event{Added{}}, commands.EventTypes()...)
	for _, e := range invoice.EventTypes() {
		events = append(events, e)
	}
	c, err := codec.New(keys, events...)
	if err != nil {
		t.Fatal(err)
	}
	return commands.Deps{Store: postgres.New(pool, postgres.Config{}), Codec: c}, pool
}

func TestPostgresConcurrentCommandsOnOneStreamAllLandExactlyOnce(t *testing.T) {
	t.Parallel()
	deps, _ := pgDeps(t)
	assertConcurrentIncrementsLandOnce(t, deps, deps.Store, commands.DefaultMaxAttempts)
}

func TestPostgresRetriedCommandIsAppliedOnce(t *testing.T) {
	t.Parallel()
	deps, pool := pgDeps(t)
	m := meta()
	for range 3 {
		if _, err := commands.Execute(ctx, deps, counter, "counter-1", counterCommand(Add{CounterID: "1", By: 1}), m); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM events WHERE stream_id = 'counter-1'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d rows (%v), want 1", n, err)
	}
}

var invoices = commands.Aggregate[invoice.State, invoice.Command, invoice.Event]{
	Decider: invoice.Decider,
	Stream: func(c invoice.Command) string {
		switch c := c.(type) {
		case invoice.Raise:
			return "invoice-" + c.InvoiceID
		case invoice.AddBillableItem:
			return "invoice-" + c.InvoiceID
		}
		return ""
	},
}

// The right to erasure on a real database: the description of a billable item is a
// person's words about a patient's care.
func TestPostgresPersonalDataIsEncryptedAtRestAndErasable(t *testing.T) {
	t.Parallel()
	deps, pool := pgDeps(t)
	const secret = "Letter to GP about Ms Doe's lithium levels"
	if _, err := invoices.Execute(ctx, deps, invoice.Raise{InvoiceID: "inv-1", PatientID: "patient-7", At: t0}, meta()); err != nil {
		t.Fatal(err)
	}
	if _, err := invoices.Execute(ctx, deps, invoice.AddBillableItem{
		InvoiceID: "inv-1", ItemID: "item-1", ClinicianID: "clin-1", Description: secret, Amount: money.GBP("85.00"), At: t0,
	}, meta()); err != nil {
		t.Fatal(err)
	}

	var stored string
	if err := pool.QueryRow(ctx, `SELECT data::text FROM events WHERE type = 'invoice.billable_item_added.v1'`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	for _, word := range []string{secret, "lithium", "Doe"} {
		if strings.Contains(stored, word) {
			t.Fatalf("the events table holds %q in the clear: %s", word, stored)
		}
	}
	if !strings.Contains(stored, codec.SealedPrefix) || !strings.Contains(stored, `"85.00"`) {
		t.Fatalf("want the description sealed and the amount in the clear: %s", stored)
	}

	s, _, err := invoices.Load(ctx, deps, "invoice-inv-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Items) != 1 || s.Items[0].Description != secret {
		t.Fatalf("decoded items %+v", s.Items)
	}

	if err := deps.Codec.Erase(ctx, "patient-7"); err != nil {
		t.Fatal(err)
	}
	s, v, err := invoices.Load(ctx, deps, "invoice-inv-1")
	if err != nil {
		t.Fatal(err)
	}
	if v != 2 || len(s.Items) != 1 || s.Items[0].Description != codec.Erased {
		t.Fatalf("after erasure: items %+v at version %d", s.Items, v)
	}
	if !s.Items[0].Amount.Equal(money.GBP("85.00")) || !s.Total.Equal(money.GBP("85.00")) || s.Items[0].ClinicianID != "clin-1" {
		t.Fatalf("erasure changed figures: %+v total %s", s.Items[0], s.Total)
	}
	var erased bool
	if err := pool.QueryRow(ctx, `SELECT key IS NULL AND erased_at IS NOT NULL FROM personal_data_keys WHERE subject = 'patient-7'`).Scan(&erased); err != nil || !erased {
		t.Fatalf("key row after erasure: erased=%v err=%v", erased, err)
	}

	// New personal data for an erased patient is refused, and nothing is appended.
	_, err = invoices.Execute(ctx, deps, invoice.AddBillableItem{
		InvoiceID: "inv-1", ItemID: "item-2", ClinicianID: "clin-1", Description: "another letter", Amount: money.GBP("10.00"), At: t0,
	}, meta())
	if !errors.Is(err, codec.ErrSubjectErased) {
		t.Fatalf("got %v, want ErrSubjectErased", err)
	}
	// A domain rejection comes back as the aggregate's own error.
	_, err = invoices.Execute(ctx, deps, invoice.Raise{InvoiceID: "inv-1", PatientID: "patient-7", At: t0}, meta())
	if !errors.Is(err, invoice.ErrAlreadyRaised) {
		t.Fatalf("got %v, want invoice.ErrAlreadyRaised", err)
	}
}
