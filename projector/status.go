package projector

import (
	"context"
	"errors"
	"fmt"
	"time"

	"ledgerdesk/projections"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/adapters/wmstore"
	"ledgerdesk/eventstore"
)

// Counter is implemented by stores that can count the events after a position cheaply.
type Counter interface {
	CountAfter(ctx context.Context, p eventstore.Position) (int64, error)
}

// Status is where a projection has got to.
type Status struct {
	Name       string
	Position   eventstore.Position
	EventsSeen int64
	UpdatedAt  time.Time
	// Lag is how many events it has still to apply; -1 when the store cannot tell.
	Lag    int64
	Parked int64
}

// StatusOf reports on the named projections (a name with no checkpoint yet reports zero).
func StatusOf(ctx context.Context, db *pgxpool.Pool, store eventstore.Store, names []string) ([]Status, error) {
	var out []Status
	for _, name := range names {
		st := Status{Name: name, Lag: -1}
		err := db.QueryRow(ctx, `SELECT commit_pos, prepare_pos, events_seen, updated_at FROM consumer_checkpoints WHERE consumer = $1`, name).
			Scan(&st.Position.Commit, &st.Position.Prepare, &st.EventsSeen, &st.UpdatedAt)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return nil, fmt.Errorf("status of %s: %w", name, err)
		}
		if err := db.QueryRow(ctx, `SELECT count(*) FROM parked_events WHERE consumer = $1`, name).Scan(&st.Parked); err != nil {
			return nil, fmt.Errorf("status of %s: %w", name, err)
		}
		if c, ok := store.(Counter); ok {
			if st.Lag, err = c.CountAfter(ctx, st.Position); err != nil {
				return nil, fmt.Errorf("lag of %s: %w", name, err)
			}
		}
		out = append(out, st)
	}
	return out, nil
}

// ParkedEvent is an event a projection could not apply.
type ParkedEvent struct {
	Consumer string
	EventID  uuid.UUID
	Stream   string
	Version  int64
	Type     string
	Error    string
	ParkedAt time.Time
	Position eventstore.Position
}

// Parked lists a projection's parked events, oldest first.
func Parked(ctx context.Context, db *pgxpool.Pool, name string) ([]ParkedEvent, error) {
	rows, err := db.Query(ctx, `SELECT consumer, event_id, stream_id, stream_version, type, error, parked_at
		FROM parked_events WHERE consumer = $1 ORDER BY commit_pos, prepare_pos`, name)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (ParkedEvent, error) {
		var p ParkedEvent
		err := r.Scan(&p.Consumer, &p.EventID, &p.Stream, &p.Version, &p.Type, &p.Error, &p.ParkedAt)
		return p, err
	})
}

// RetryParked applies a projection's parked events again (all of them, or only those ids),
// each in its own transaction that also removes it from the parked list. One that fails
// again stays parked with its new error. It returns how many were applied.
func RetryParked(ctx context.Context, db *pgxpool.Pool, store eventstore.Store, p projections.Projection, only ...uuid.UUID) (int, error) {
	parked, err := Parked(ctx, db, p.Name())
	if err != nil {
		return 0, err
	}
	want := map[uuid.UUID]bool{}
	for _, id := range only {
		want[id] = true
	}
	applied := 0
	for _, pe := range parked {
		if len(want) > 0 && !want[pe.EventID] {
			continue
		}
		events, err := store.ReadStream(ctx, pe.Stream, uint64(pe.Version), 1)
		if err != nil {
			return applied, err
		}
		if len(events) != 1 || events[0].ID != pe.EventID {
			return applied, fmt.Errorf("parked event %s is no longer at %s@%d", pe.EventID, pe.Stream, pe.Version)
		}
		applyErr := pgx.BeginFunc(ctx, db, func(pgtx pgx.Tx) error {
			// Hold the checkpoint row, as the live projector does, so the two never interleave.
			if _, err := pgtx.Exec(ctx, `SELECT 1 FROM consumer_checkpoints WHERE consumer = $1 FOR UPDATE`, p.Name()); err != nil {
				return err
			}
			if err := useSchema(ctx, pgtx, projections.Schema(p.Name())); err != nil {
				return err
			}
			tx := wmstore.NewTx(pgtx, true)
			tx.BeginMessage()
			if err := p.Apply(ctx, tx, events[0]); err != nil {
				return err
			}
			tx.Exec(`DELETE FROM public.parked_events WHERE consumer = $1 AND event_id = $2`, p.Name(), pe.EventID)
			return tx.Flush(ctx)
		})
		if applyErr != nil {
			if _, err := db.Exec(ctx, `UPDATE parked_events SET error = $3, parked_at = now() WHERE consumer = $1 AND event_id = $2`,
				p.Name(), pe.EventID, applyErr.Error()); err != nil {
				return applied, err
			}
			continue
		}
		applied++
	}
	return applied, nil
}
