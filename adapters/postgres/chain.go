package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/eventstore"
)

// Chain is the tamper evidence of the events table: a hash chain over every event in the
// global order, extended by Seal after the events commit (so appends stay as fast as
// before) and checked by Verify.
//
// Why sealing after the fact is still tamper-evident: a link covers every stored column of
// its event and the link before it. Once an event is sealed, editing its row changes its
// recomputed hash, so Verify stops at that event; deleting it leaves a link without its
// event; and an event slipped in among sealed ones (a row inserted later with an old
// transaction id) is an unsealed event below the sealed head, which cannot happen honestly
// because Seal reads only below the oldest running transaction that may append (readAllSQL),
// as every tailing reader does. What a hash chain alone cannot show is a rewrite of the whole chain from some
// event on; that is why Verify reports the head (seq and hash), for an auditor to write
// down and hold the next verification to (Link).
type Chain struct {
	pool  *pgxpool.Pool
	batch int

	mu    sync.Mutex
	ready bool
}

// NewChain works on the events table of pool.
func NewChain(pool *pgxpool.Pool) *Chain { return &Chain{pool: pool, batch: 5000} }

// ChainLink is one sealed event.
type ChainLink struct {
	Seq      int64
	Position eventstore.Position
	EventID  uuid.UUID
	Hash     ChainHash
	SealedAt time.Time
}

// ensure creates the chain's table once per Chain.
func (c *Chain) ensure(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ready {
		return nil
	}
	err := pgx.BeginFunc(ctx, c.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, chainLockKey); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, chainDDL)
		return err
	})
	if err != nil {
		return fmt.Errorf("event chain: creating its table: %w", err)
	}
	c.ready = true
	return nil
}

// Seal extends the chain over every event a tailing reader may read now, and returns how
// many it sealed. Concurrent sealers (serve and project processes, audit verify) take
// turns on an advisory lock; appends never wait for it.
func (c *Chain) Seal(ctx context.Context) (int, error) {
	if err := c.ensure(ctx); err != nil {
		return 0, err
	}
	total := 0
	for {
		n, err := c.sealBatch(ctx)
		total += n
		if err != nil {
			return total, fmt.Errorf("event chain: sealing: %w", err)
		}
		if n < c.batch {
			return total, nil
		}
	}
}

func (c *Chain) sealBatch(ctx context.Context) (int, error) {
	n := 0
	err := pgx.BeginFunc(ctx, c.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, chainLockKey); err != nil {
			return err
		}
		head, err := headOf(ctx, tx)
		if err != nil {
			return err
		}
		// The same statement as ReadAll: the chain's order is the readers' order.
		rows, err := tx.Query(ctx, readAllSQL, strconv.FormatUint(head.Position.Commit, 10), int64(head.Position.Prepare), c.batch)
		if err != nil {
			return err
		}
		events, err := scanEvents(rows)
		if err != nil {
			return err
		}
		if len(events) == 0 {
			return nil
		}
		seqs := make([]int64, len(events))
		positions := make([]int64, len(events))
		xids := make([]string, len(events))
		ids := make([]uuid.UUID, len(events))
		hashes := make([][]byte, len(events))
		prev := head.Hash
		for i, e := range events {
			prev = chainHash(prev, e)
			seqs[i] = head.Seq + int64(i) + 1
			positions[i] = int64(e.Position.Prepare)
			xids[i] = strconv.FormatUint(e.Position.Commit, 10)
			ids[i] = e.ID
			hashes[i] = append([]byte(nil), prev[:]...)
		}
		_, err = tx.Exec(ctx, `INSERT INTO event_chain (seq, global_position, transaction_id, event_id, hash)
			SELECT s, p, x::xid8, id, h FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::uuid[], $5::bytea[]) AS t(s, p, x, id, h)`,
			seqs, positions, xids, ids, hashes)
		if err != nil {
			return err
		}
		n = len(events)
		return nil
	})
	return n, err
}

// Head is the last sealed link; the zero ChainLink when nothing is sealed yet.
func (c *Chain) Head(ctx context.Context) (ChainLink, error) {
	if err := c.ensure(ctx); err != nil {
		return ChainLink{}, err
	}
	return headOf(ctx, c.pool)
}

// ErrNoLink says the chain has no link with the asked-for seq.
var ErrNoLink = errors.New("event chain: no such link")

// Link is the link seq, to compare with a head an auditor wrote down earlier.
func (c *Chain) Link(ctx context.Context, seq int64) (ChainLink, error) {
	if err := c.ensure(ctx); err != nil {
		return ChainLink{}, err
	}
	l, err := scanLink(c.pool.QueryRow(ctx, `SELECT `+linkColumns+` FROM event_chain WHERE seq = $1`, seq))
	if errors.Is(err, pgx.ErrNoRows) {
		return ChainLink{}, fmt.Errorf("%w: seq %d", ErrNoLink, seq)
	}
	return l, err
}

// Run seals every interval until ctx ends. A failed round is logged and tried again next
// time: the chain can always be caught up later, so a sealer never takes a process down.
func (c *Chain) Run(ctx context.Context, interval time.Duration, log *slog.Logger) error {
	if interval <= 0 {
		interval = time.Second
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if n, err := c.Seal(ctx); err != nil && ctx.Err() == nil {
			log.WarnContext(ctx, "sealing the event chain", "err", err)
		} else if n > 0 {
			log.DebugContext(ctx, "sealed events into the chain", "events", n)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

type queryRower interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

const linkColumns = `seq, transaction_id::text::bigint, global_position, event_id, hash, sealed_at`

func headOf(ctx context.Context, q queryRower) (ChainLink, error) {
	l, err := scanLink(q.QueryRow(ctx, `SELECT `+linkColumns+` FROM event_chain ORDER BY seq DESC LIMIT 1`))
	if errors.Is(err, pgx.ErrNoRows) {
		return ChainLink{}, nil
	}
	if err != nil {
		return ChainLink{}, fmt.Errorf("event chain: reading its head: %w", err)
	}
	return l, nil
}

func scanLink(row pgx.Row) (ChainLink, error) {
	var l ChainLink
	var xid, pos int64
	var hash []byte
	if err := row.Scan(&l.Seq, &xid, &pos, &l.EventID, &hash, &l.SealedAt); err != nil {
		return ChainLink{}, err
	}
	l.Position = eventstore.Position{Commit: uint64(xid), Prepare: uint64(pos)}
	copy(l.Hash[:], hash)
	return l, nil
}
