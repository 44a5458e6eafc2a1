package projector

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"ledgerdesk/projections"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/adapters/wmstore"
	"ledgerdesk/eventstore"
)

// Progress is told how far a replay has got; total is -1 when unknown.
type Progress func(done, total int64)

// RebuildBatch is how many events a replay applies per transaction.
const RebuildBatch = 5000

// Replay applies the whole history to p in a fresh schema and returns the position it
// reached and the events it had to skip (they failed). The schema is dropped first if it
// exists. Nothing live is touched: the auditors' replay compares such a schema with the
// live one, and Rebuild swaps it in.
func Replay(ctx context.Context, db *pgxpool.Pool, store eventstore.Store, p projections.Projection, schema string, progress Progress) (eventstore.Position, []ParkedEvent, error) {
	if err := checkName(p); err != nil {
		return eventstore.Position{}, nil, err
	}
	var co *wmstore.Coalescer
	err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
			return err
		}
		if err := setupSchema(ctx, tx, p, schema); err != nil {
			return err
		}
		var err error
		co, err = wmstore.NewCoalescer(ctx, tx)
		return err
	})
	if err != nil {
		return eventstore.Position{}, nil, err
	}
	total := int64(-1)
	if c, ok := store.(Counter); ok {
		if total, err = c.CountAfter(ctx, eventstore.Start); err != nil {
			return eventstore.Position{}, nil, err
		}
	}
	var done int64
	pos := eventstore.Start
	var skipped []ParkedEvent
	for batches := 1; ; batches++ {
		// Stop between batches when ctx ends: each batch is its own transaction, and the
		// schema being built is not live, so nothing is left half done.
		if err := ctx.Err(); err != nil {
			return pos, nil, err
		}
		batch, err := store.ReadAll(ctx, pos, RebuildBatch)
		if err != nil {
			return pos, nil, err
		}
		if len(batch) == 0 {
			break
		}
		err = pgx.BeginFunc(ctx, db, func(pgtx pgx.Tx) error {
			if err := useSchema(ctx, pgtx, schema); err != nil {
				return err
			}
			if err := keyLookups(ctx, pgtx); err != nil {
				return err
			}
			s, err := applyBatch(ctx, pgtx, p, batch, co)
			skipped = append(skipped, s...)
			if err == nil && batches&(batches-1) == 0 {
				err = analyze(ctx, pgtx)
			}
			return err
		})
		if err != nil {
			return pos, nil, err
		}
		pos = batch[len(batch)-1].Position
		done += int64(len(batch))
		if progress != nil {
			progress(done, max(total, done))
		}
	}
	return pos, skipped, nil
}

// analyze refreshes the planner's statistics of the tables being built, after the 1st,
// 2nd, 4th, 8th... batch. Statements planned while a table was empty would otherwise keep
// scanning it whole (a cached generic plan is not revisited as the table grows), and every
// write to it would cost more than the last; doubling keeps the cost to a few ANALYZEs.
func analyze(ctx context.Context, tx pgx.Tx) error {
	rows, err := tx.Query(ctx, `SELECT format('%I', tablename) FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1`)
	if err != nil {
		return err
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(tables) == 0 {
		return err
	}
	_, err = tx.Exec(ctx, "ANALYZE "+strings.Join(tables, ", "))
	return err
}

// keyLookups makes the planner join a merged write's rows to its table by index, for the
// rest of the transaction. A table being rebuilt has no statistics, and with them missing
// a merged UPDATE of a few hundred keys is planned as a hash join over a scan of the
// whole table, which costs more as the table grows: one index lookup per row is what
// every write of a replay wants.
func keyLookups(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `SELECT set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true)`)
	return err
}

// applyBatch applies events in one transaction, quickly when all goes well; when the
// queued writes fail it starts again one event at a time to find the culprits.
//
// The fast attempt merges the writes into multi-row statements (co); the slow one does
// not, so that a failure is charged to the event that caused it.
func applyBatch(ctx context.Context, pgtx pgx.Tx, p projections.Projection, batch []eventstore.RecordedEvent, co *wmstore.Coalescer) ([]ParkedEvent, error) {
	fast := func() error {
		return pgx.BeginFunc(ctx, pgtx, func(sp pgx.Tx) error {
			tx := wmstore.NewCoalescingTx(sp, false, co)
			for _, e := range batch {
				if err := ctx.Err(); err != nil {
					return err
				}
				tx.BeginMessage()
				if err := p.Apply(ctx, tx, e); err != nil {
					return err
				}
				tx.EndMessage()
			}
			return tx.Flush(ctx)
		})
	}
	if fast() == nil {
		return nil, nil
	}
	if err := ctx.Err(); err != nil {
		// The batch failed because we are stopping, not because of an event in it: going
		// through it again one event at a time would only fail 5000 times more.
		return nil, err
	}
	tx := wmstore.NewTx(pgtx, true)
	var skipped []ParkedEvent
	for _, e := range batch {
		if err := ctx.Err(); err != nil {
			return skipped, err
		}
		tx.BeginMessage()
		err := p.Apply(ctx, tx, e)
		if err == nil {
			err = tx.Flush(ctx)
		}
		if err != nil {
			if rerr := tx.RestartMessage(ctx); rerr != nil {
				return skipped, errors.Join(err, rerr)
			}
			skipped = append(skipped, ParkedEvent{Consumer: p.Name(), EventID: e.ID, Stream: e.StreamID, Version: int64(e.Version), Type: e.Type, Error: err.Error(), Position: e.Position})
			continue
		}
		tx.EndMessage()
	}
	return skipped, tx.Flush(ctx)
}

// Rebuild replays p's history into a fresh schema and swaps it in for the live one.
//
// The swap holds p's checkpoint row, which the live projector also locks first in every
// transaction, so the live projector pauses rather than writing into tables being swapped;
// the replay catches up to the newest event inside the swap, and the live projector then
// resumes from the rebuilt position on the new tables. Events the replay could not apply
// become p's parked events.
func Rebuild(ctx context.Context, db *pgxpool.Pool, store eventstore.Store, p projections.Projection, progress Progress) error {
	live, next, old := projections.Schema(p.Name()), projections.Schema(p.Name())+"_next", projections.Schema(p.Name())+"_old"
	pos, skipped, err := Replay(ctx, db, store, p, next, progress)
	if err != nil {
		return fmt.Errorf("rebuilding %s: %w", p.Name(), err)
	}
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO consumer_checkpoints (consumer) VALUES ($1) ON CONFLICT DO NOTHING`, p.Name()); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT 1 FROM consumer_checkpoints WHERE consumer = $1 FOR UPDATE`, p.Name()); err != nil {
			return err
		}
		var seen int64
		var co *wmstore.Coalescer
		for {
			if err := ctx.Err(); err != nil {
				return err
			}
			batch, err := store.ReadAll(ctx, pos, RebuildBatch)
			if err != nil {
				return err
			}
			if len(batch) == 0 {
				break
			}
			if err := useSchema(ctx, tx, next); err != nil {
				return err
			}
			if co == nil {
				if err := keyLookups(ctx, tx); err != nil {
					return err
				}
				if co, err = wmstore.NewCoalescer(ctx, tx); err != nil {
					return err
				}
			}
			s, err := applyBatch(ctx, tx, p, batch, co)
			if err != nil {
				return err
			}
			skipped = append(skipped, s...)
			pos = batch[len(batch)-1].Position
		}
		if c, ok := store.(Counter); ok {
			all, err := c.CountAfter(ctx, eventstore.Start)
			if err != nil {
				return err
			}
			seen = all
		}
		for _, stmt := range []string{
			"DROP SCHEMA IF EXISTS " + pgx.Identifier{old}.Sanitize() + " CASCADE",
			"ALTER SCHEMA " + pgx.Identifier{live}.Sanitize() + " RENAME TO " + pgx.Identifier{old}.Sanitize(),
			"ALTER SCHEMA " + pgx.Identifier{next}.Sanitize() + " RENAME TO " + pgx.Identifier{live}.Sanitize(),
			"DROP SCHEMA " + pgx.Identifier{old}.Sanitize() + " CASCADE",
		} {
			if _, err := tx.Exec(ctx, stmt); err != nil {
				return fmt.Errorf("swapping in the rebuilt %s: %w", p.Name(), err)
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE consumer_checkpoints SET commit_pos = $2, prepare_pos = $3, events_seen = $4, updated_at = now() WHERE consumer = $1`,
			p.Name(), int64(pos.Commit), int64(pos.Prepare), seen); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM parked_events WHERE consumer = $1`, p.Name()); err != nil {
			return err
		}
		for _, s := range skipped {
			if _, err := tx.Exec(ctx, `INSERT INTO parked_events (consumer, event_id, stream_id, stream_version, type, commit_pos, prepare_pos, error)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (consumer, event_id) DO UPDATE SET error = EXCLUDED.error`,
				p.Name(), s.EventID, s.Stream, s.Version, s.Type, int64(s.Position.Commit), int64(s.Position.Prepare), s.Error); err != nil {
				return err
			}
		}
		return nil
	})
}
