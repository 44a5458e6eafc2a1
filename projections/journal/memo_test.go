package journal

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/adapters/wmstore"
	"ledgerdesk/domain/decider"
	"ledgerdesk/domain/earnings"
	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/eventstore"
	"ledgerdesk/projections"
)

// TestTheBookMemoSeesEveryWriteOfItsTransactionAndNothingOfARestartedMessage applies an
// invoice's life in one transaction, as a replay does, with one void undone by
// RestartMessage and a flush between an accrual and its release. The memo must answer as
// the rows would: an item accrued after the undone void stays open until the kept void
// writes it off, a released one is not written off, and one accrued after the kept void
// is written off at once.
func TestTheBookMemoSeesEveryWriteOfItsTransactionAndNothingOfARestartedMessage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	at := time.Date(2025, time.February, 10, 10, 0, 0, 0, time.UTC)
	accrued := func(item string) earnings.Accrued {
		inv := "inv1"
		if item > "item2" {
			inv = "inv2"
		}
		return earnings.Accrued{EarningID: "earn-" + item, ClinicianID: "c1", Source: earnings.BillableItem(inv, item),
			Amount: money.GBP("25.00"), WorkDate: ledger.DateOf(at), Ledger: ledger.V2, AccruedAt: at}
	}
	var pos uint64
	// apply posts ev as the next event and returns its id.
	apply := func(tx *wmstore.Tx, stream string, ev decider.Event) uuid.UUID {
		t.Helper()
		pos++
		rec := eventstore.RecordedEvent{ID: uuid.New(), StreamID: stream, Version: pos, Type: "test",
			Position: eventstore.Position{Commit: pos, Prepare: pos}}
		if err := post(ctx, tx, rec, ev); err != nil {
			t.Fatal(err)
		}
		return rec.ID
	}
	message := func(tx *wmstore.Tx, stream string, ev decider.Event) uuid.UUID {
		t.Helper()
		tx.BeginMessage()
		id := apply(tx, stream, ev)
		tx.EndMessage()
		return id
	}
	// postings counts the postings each event made; open the open items left.
	postings := map[string]int{}
	var open []string
	err = pgx.BeginFunc(ctx, pool, func(pgtx pgx.Tx) error {
		if err := projections.SetupSchema(ctx, pgtx, &Projection{}, "memo_test"); err != nil {
			return err
		}
		tx := wmstore.NewTx(pgtx, false)
		inv, earn := invoice.StreamID("inv1"), earnings.StreamID("c1")
		message(tx, inv, invoice.Raised{InvoiceID: "inv1", PatientID: "p1", RaisedAt: at})
		message(tx, inv, invoice.Issued{InvoiceID: "inv1", PatientID: "p1", Total: money.GBP("50.00"), IssuedAt: at})
		// A void undone: neither its rows nor what the memo learnt from it may remain.
		tx.BeginMessage()
		undone := apply(tx, inv, invoice.Voided{InvoiceID: "inv1", PatientID: "p1", Reason: "undone", VoidedAt: at})
		if err := tx.RestartMessage(ctx); err != nil {
			return err
		}
		ids := map[uuid.UUID]string{undone: "undone void"}
		ids[message(tx, earn, accrued("item1"))] = "item1 accrued"
		ids[message(tx, inv, invoice.Voided{InvoiceID: "inv1", PatientID: "p1", Reason: "kept", VoidedAt: at})] = "kept void"
		ids[message(tx, earn, accrued("item2"))] = "item2 accrued"
		// inv2, raised after the restart, is in the memo: its void reads the items as sent
		// and applies the queued writes logged since. item3 is sent, then released while
		// queued; item4 is queued only.
		inv2 := invoice.StreamID("inv2")
		message(tx, inv2, invoice.Raised{InvoiceID: "inv2", PatientID: "p1", RaisedAt: at})
		message(tx, inv2, invoice.Issued{InvoiceID: "inv2", PatientID: "p1", Total: money.GBP("50.00"), IssuedAt: at})
		ids[message(tx, earn, accrued("item3"))] = "item3 accrued"
		if err := tx.Flush(ctx); err != nil {
			return err
		}
		message(tx, earn, earnings.Released{EarningID: "earn-item3", ClinicianID: "c1", Source: earnings.BillableItem("inv2", "item3"),
			Amount: money.GBP("25.00"), Reason: earnings.ReleaseInvoicePaid, ReleasedAt: at})
		ids[message(tx, earn, accrued("item4"))] = "item4 accrued"
		ids[message(tx, inv2, invoice.Voided{InvoiceID: "inv2", PatientID: "p1", Reason: "kept", VoidedAt: at})] = "inv2 void"
		if err := tx.Flush(ctx); err != nil {
			return err
		}
		for id, name := range ids {
			var n int
			if err := pgtx.QueryRow(ctx, `SELECT count(*) FROM postings WHERE event_id = $1`, id).Scan(&n); err != nil {
				return err
			}
			postings[name] = n
		}
		rows, err := pgtx.Query(ctx, `SELECT earning_id FROM book_open_items ORDER BY 1`)
		if err != nil {
			return err
		}
		open, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{
		"undone void": 0,
		// Accrued while the invoice stood (the undone void forgotten): the accrual only.
		"item1 accrued": 1,
		"item3 accrued": 1,
		"item4 accrued": 1,
		// The reversal and item4's write-off; item3 was released.
		"inv2 void": 2,
		// The invoice's reversal and item1's write-off.
		"kept void": 2,
		// Accrued after the kept void: accrual and write-off at once.
		"item2 accrued": 2,
	}
	for name, n := range want {
		if postings[name] != n {
			t.Errorf("%s made %d postings, want %d", name, postings[name], n)
		}
	}
	if len(open) != 0 {
		t.Errorf("open items %v after the void, want none", open)
	}
}
