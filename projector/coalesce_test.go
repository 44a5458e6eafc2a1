package projector_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"ledgerdesk/projector"

	"github.com/jackc/pgx/v5"

	"ledgerdesk/adapters/postgres"
	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/adapters/wmstore"
	"ledgerdesk/eventstore"
	"ledgerdesk/projections"
	"ledgerdesk/projections/projectiontest"
)

// TestReplayWithMergedWritesBuildsTheSameRowsAsEventByEvent applies one generated history
// (invoices paid and voided, payouts, V1 items, tickets, accounts) to every real read model
// twice: once event by event, each write sent on its own in the order the projection made
// it, and once in batches as Replay applies them, the writes merged into multi-row
// statements. Every table
// must hold the same rows, identity columns included.
func TestReplayWithMergedWritesBuildsTheSameRowsAsEventByEvent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := newPoolTB(t, pgtest.NewDatabase(t))
	c := newBenchCodec(t, pool)
	// Enough for two payout runs and a voided invoice's written-off items.
	if err := projectiontest.WriteHistory(ctx, pool, c, 9000); err != nil {
		t.Fatal(err)
	}
	store := postgres.New(pool, postgres.Config{PollInterval: 10 * time.Millisecond, BatchSize: 5000})
	var history []eventstore.RecordedEvent
	for pos := eventstore.Start; ; {
		batch, err := store.ReadAll(ctx, pos, 5000)
		if err != nil {
			t.Fatal(err)
		}
		if len(batch) == 0 {
			break
		}
		history = append(history, batch...)
		pos = batch[len(batch)-1].Position
	}
	for _, p := range readModels(c) {
		oneByOne, merged := "one_"+p.Name(), "merged_"+p.Name()
		err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			if err := projections.SetupSchema(ctx, tx, p, oneByOne); err != nil {
				return err
			}
			w := &immediate{ctx: ctx, tx: tx}
			for _, e := range history {
				if err := p.Apply(ctx, w, e); err != nil {
					return err
				}
				if w.err != nil {
					return w.err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("%s event by event: %v", p.Name(), err)
		}
		// As Replay's fast path does, but failing where Replay would fall back to one
		// event at a time without merging: a merged statement must never fail.
		err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			if err := projections.SetupSchema(ctx, tx, p, merged); err != nil {
				return err
			}
			co, err := wmstore.NewCoalescer(ctx, tx)
			if err != nil {
				return err
			}
			for from := 0; from < len(history); from += projector.RebuildBatch {
				w := wmstore.NewCoalescingTx(tx, false, co)
				for _, e := range history[from:min(from+projector.RebuildBatch, len(history))] {
					w.BeginMessage()
					if err := p.Apply(ctx, w, e); err != nil {
						return err
					}
					w.EndMessage()
				}
				if err := w.Flush(ctx); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("%s with merged writes: %v", p.Name(), err)
		}
		rows, err := pool.Query(ctx, `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, oneByOne)
		if err != nil {
			t.Fatal(err)
		}
		tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		total := 0
		for _, table := range tables {
			a, b := pgx.Identifier{oneByOne, table}.Sanitize(), pgx.Identifier{merged, table}.Sanitize()
			var n, differ int
			if err := pool.QueryRow(ctx, fmt.Sprintf(`SELECT (SELECT count(*) FROM %[1]s),
				(SELECT count(*) FROM ((SELECT * FROM %[1]s EXCEPT ALL SELECT * FROM %[2]s) UNION ALL (SELECT * FROM %[2]s EXCEPT ALL SELECT * FROM %[1]s)) d)`, a, b)).Scan(&n, &differ); err != nil {
				t.Fatal(err)
			}
			if differ != 0 {
				t.Errorf("%s.%s: %d rows differ between event by event and merged writes (%d rows)", p.Name(), table, differ, n)
			}
			total += n
		}
		if p.Name() == "journal" {
			// The history has items accrued after their invoice's void: written off at once.
			var n int
			if err := pool.QueryRow(ctx, `SELECT count(*) FROM merged_journal.postings WHERE event_type LIKE 'earnings.accrued%' AND memo LIKE '%written off'`).Scan(&n); err != nil || n == 0 {
				t.Errorf("journal: %d accruals written off at once (%v); the history should have some", n, err)
			}
		}
		if total == 0 {
			t.Errorf("%s: the history wrote no rows at all; the comparison proves nothing", p.Name())
		}
	}
}

// immediate is a projections.Writer that sends each write at once, in order.
type immediate struct {
	ctx context.Context
	tx  pgx.Tx
	err error
}

func (w *immediate) Exec(sql string, args ...any) {
	if w.err != nil {
		return
	}
	if _, err := w.tx.Exec(w.ctx, sql, args...); err != nil {
		w.err = fmt.Errorf("%s: %w", sql, err)
	}
}

func (w *immediate) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return w.tx.Query(ctx, sql, args...)
}

func (w *immediate) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return w.tx.QueryRow(ctx, sql, args...)
}
