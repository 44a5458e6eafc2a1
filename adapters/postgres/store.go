// Package postgres is the embedded default event store: one append-only table in
// PostgreSQL, read through pgx.
//
// Concurrency comes from the unique (stream_id, stream_version) constraint, so an append
// is one statement and one round trip whatever the expected version. A retried append is
// recognised by its event ids. Readers of the global order read only below the oldest
// running transaction that may append (see readAllSQL and migrations/008_event_appenders.sql),
// so a late commit is never skipped and nothing else holds them back.
//
// Subscriptions do not wait for a poll to find new events: once an append has committed
// it wakes the store's own subscriptions and NOTIFYs those of other processes, which one
// listening connection per Store receives (wakeup.go). Polling stays as the fallback, for
// appends that bypass Store.Append and while the listener is down.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/eventstore"
)

// Store implements eventstore.Store on a pgx pool.
type Store struct {
	pool *pgxpool.Pool
	cfg  Config
	wake *wakeups
}

// Config tunes reading; the zero value is sensible.
type Config struct {
	// PollInterval is the longest a caught-up subscription waits before looking again
	// when it cannot count on a wake-up: while the listening connection is down (or
	// PollOnly), and while a transaction that may append is still in flight below the
	// tail, since one that rolls back sends no wake-up.
	PollInterval time.Duration
	// IdlePollInterval is the longest a caught-up subscription waits while wake-ups are
	// live and nothing is in flight: only a safety net, for events written by something
	// other than Store.Append (which sends no wake-up), or whose process died between its
	// commit and its NOTIFY.
	IdlePollInterval time.Duration
	// PollOnly turns wake-ups off: subscriptions poll as they did before LISTEN/NOTIFY,
	// appends notify nobody, and the store opens no listening connection. The baseline
	// of the latency benchmark, and of what notifying costs appends.
	PollOnly bool
	// BatchSize is how many events a subscription reads at once.
	BatchSize int
	// Logger hears about the listening connection being lost; nil discards.
	Logger *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.PollInterval <= 0 {
		c.PollInterval = 100 * time.Millisecond
	}
	if c.IdlePollInterval <= 0 {
		c.IdlePollInterval = max(time.Second, c.PollInterval)
	}
	if c.BatchSize <= 0 {
		c.BatchSize = 1000
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// New wraps an existing pool; the caller keeps ownership of it unless it calls Close.
// While anything subscribes, the store holds one more connection than the pool: the one
// that listens for appends, opened with the pool's settings.
func New(pool *pgxpool.Pool, cfg Config) *Store {
	cfg = cfg.withDefaults()
	return &Store{pool: pool, cfg: cfg, wake: newWakeups(pool, cfg.Logger)}
}

// Open connects to url. The schema must already be migrated (migrations.Apply).
func Open(ctx context.Context, url string, cfg Config) (*Store, error) {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("postgres event store: %w", err)
	}
	return New(pool, cfg), nil
}

// Pool exposes the pool for components that share the database (read models).
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Close stops listening for appends and closes the pool.
func (s *Store) Close() {
	s.wake.shutdown()
	s.pool.Close()
}

// appendExactSQL inserts a batch at versions $2+1..$2+n in one statement. The row at
// version $2 must exist (unless $2 is 0), otherwise a stream that is behind would silently
// get a gap; a stream that is ahead trips the unique (stream, version) constraint. It has
// no branches, so Postgres settles on one reusable plan for it.
const appendExactSQL = `
WITH ins AS (
    INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata, recorded_at)
    SELECT e.id, $1, $2::bigint + e.ord, e.type, e.data::jsonb, coalesce(e.meta, '{}')::jsonb, coalesce(e.at, now())
    FROM unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
         WITH ORDINALITY AS e(id, type, data, meta, at, ord)
    WHERE $2::bigint = 0 OR EXISTS (SELECT 1 FROM events WHERE stream_id = $1 AND stream_version = $2::bigint)
    ORDER BY e.ord
    RETURNING stream_version, transaction_id, global_position
)
SELECT count(*), coalesce(max(stream_version), 0), coalesce(max(transaction_id::text::bigint), 0), coalesce(max(global_position), 0)
FROM ins`

// appendAnySQL appends after whatever the stream's version is, read in the same
// statement; a racing writer trips the unique constraint and the append is retried.
const appendAnySQL = `
WITH base AS (
    SELECT coalesce(max(stream_version), 0) AS v FROM events WHERE stream_id = $1
), ins AS (
    INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata, recorded_at)
    SELECT e.id, $1, base.v + e.ord, e.type, e.data::jsonb, coalesce(e.meta, '{}')::jsonb, coalesce(e.at, now())
    FROM base, unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
         WITH ORDINALITY AS e(id, type, data, meta, at, ord)
    ORDER BY e.ord
    RETURNING stream_version, transaction_id, global_position
)
SELECT count(*), coalesce(max(stream_version), 0), coalesce(max(transaction_id::text::bigint), 0), coalesce(max(global_position), 0)
FROM ins`

// Append implements eventstore.Store.
func (s *Store) Append(ctx context.Context, stream string, expected eventstore.ExpectedVersion, events ...eventstore.EventData) (eventstore.AppendResult, error) {
	if err := eventstore.ValidateAppend(stream, events); err != nil {
		return eventstore.AppendResult{}, err
	}
	n := len(events)
	ids := make([]uuid.UUID, n)
	types := make([]string, n)
	data := make([]string, n)
	meta := make([]*string, n)
	at := make([]*time.Time, n)
	for i, e := range events {
		ids[i], types[i] = e.ID, e.Type
		data[i] = string(e.Data)
		if len(e.Data) == 0 {
			data[i] = "null"
		}
		if len(e.Metadata) > 0 {
			m := string(e.Metadata)
			meta[i] = &m
		}
		if !e.RecordedAt.IsZero() {
			t := e.RecordedAt
			at[i] = &t
		}
	}
	want, exact := expected.Version()
	for attempt := 0; ; attempt++ {
		var count, version, xid, pos int64
		var row pgx.Row
		if exact {
			row = s.pool.QueryRow(ctx, appendExactSQL, stream, int64(want), ids, types, data, meta, at)
		} else {
			row = s.pool.QueryRow(ctx, appendAnySQL, stream, ids, types, data, meta, at)
		}
		err := row.Scan(&count, &version, &xid, &pos)
		if err == nil && count == int64(n) {
			s.appended(ctx)
			return eventstore.AppendResult{Version: uint64(version), Position: eventstore.Position{Commit: uint64(xid), Prepare: uint64(pos)}}, nil
		}
		if err != nil && !isUniqueViolation(err) {
			if isInvalidJSON(err) {
				return eventstore.AppendResult{}, fmt.Errorf("%w: stream %q: event data or metadata is not valid JSON: %v", eventstore.ErrInvalidAppend, stream, err)
			}
			return eventstore.AppendResult{}, fmt.Errorf("appending to %q: %w", stream, err)
		}
		// Either a unique constraint fired or an exact version did not exist: a retry of an
		// append that already landed, a duplicate id, or a genuine conflict.
		if res, ok, err := s.recognisePriorAppend(ctx, stream, ids, types, data); err != nil || ok {
			if ok {
				// The first attempt may have committed without anyone being told.
				s.appended(ctx)
			}
			return res, err
		}
		if expected.IsAny() && attempt < 100 {
			continue
		}
		actual, err := s.streamVersion(ctx, stream)
		if err != nil {
			return eventstore.AppendResult{}, err
		}
		return eventstore.AppendResult{}, &eventstore.ConflictError{Stream: stream, Expected: expected, Actual: actual}
	}
}

// appended wakes subscriptions, here and in other processes, once an append committed.
func (s *Store) appended(ctx context.Context) {
	if !s.cfg.PollOnly {
		s.wake.appended(ctx)
	}
}

// recognisePriorAppend reports whether these events (same ids, types and data) already sit,
// in order and contiguously, in this stream: then the append is a retry and gets the first
// result. Ids owned by other events, here or in another stream, are an error.
func (s *Store) recognisePriorAppend(ctx context.Context, stream string, ids []uuid.UUID, types, data []string) (eventstore.AppendResult, bool, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT e.event_id, e.stream_id, e.stream_version, e.transaction_id::text::bigint, e.global_position,
		       e.type = n.type AND e.data = n.data::jsonb
		FROM events e JOIN unnest($1::uuid[], $2::text[], $3::text[]) AS n(id, type, data) ON e.event_id = n.id`, ids, types, data)
	if err != nil {
		return eventstore.AppendResult{}, false, fmt.Errorf("appending to %q: checking for a retried append: %w", stream, err)
	}
	type found struct {
		stream       string
		version      int64
		xid, globpos int64
		same         bool
	}
	byID := map[uuid.UUID]found{}
	for rows.Next() {
		var id uuid.UUID
		var f found
		if err := rows.Scan(&id, &f.stream, &f.version, &f.xid, &f.globpos, &f.same); err != nil {
			rows.Close()
			return eventstore.AppendResult{}, false, err
		}
		byID[id] = f
	}
	if err := rows.Err(); err != nil {
		return eventstore.AppendResult{}, false, err
	}
	if len(byID) == 0 {
		return eventstore.AppendResult{}, false, nil
	}
	first, ok := byID[ids[0]]
	if len(byID) != len(ids) || !ok {
		return eventstore.AppendResult{}, false, fmt.Errorf("%w: stream %q: %d of %d event ids are already stored", eventstore.ErrDuplicateEventID, stream, len(byID), len(ids))
	}
	for i, id := range ids {
		f := byID[id]
		if f.stream != stream || f.version != first.version+int64(i) || !f.same {
			return eventstore.AppendResult{}, false, fmt.Errorf("%w: event %s is stored as %s@%d", eventstore.ErrDuplicateEventID, id, f.stream, f.version)
		}
	}
	last := byID[ids[len(ids)-1]]
	return eventstore.AppendResult{Version: uint64(last.version), Position: eventstore.Position{Commit: uint64(last.xid), Prepare: uint64(last.globpos)}}, true, nil
}

func (s *Store) streamVersion(ctx context.Context, stream string) (uint64, error) {
	var v int64
	err := s.pool.QueryRow(ctx, `SELECT coalesce(max(stream_version), 0) FROM events WHERE stream_id = $1`, stream).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("reading the version of %q: %w", stream, err)
	}
	return uint64(v), nil
}

// StreamVersion is the stream's current version, 0 when it has no events.
func (s *Store) StreamVersion(ctx context.Context, stream string) (uint64, error) {
	return s.streamVersion(ctx, stream)
}

const selectColumns = `event_id, stream_id, stream_version, type, data::text, metadata::text, recorded_at, transaction_id::text::bigint, global_position`

// ReadStream implements eventstore.Store.
func (s *Store) ReadStream(ctx context.Context, stream string, from uint64, limit int) ([]eventstore.RecordedEvent, error) {
	if limit <= 0 {
		limit = 1 << 30
	}
	if from == 0 {
		from = 1
	}
	rows, err := s.pool.Query(ctx, `SELECT `+selectColumns+` FROM events WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version LIMIT $3`, stream, int64(from), limit)
	if err != nil {
		return nil, fmt.Errorf("reading stream %q: %w", stream, err)
	}
	return scanEvents(rows)
}

// readAllSQL is the safe tail: it reads only below the horizon, the oldest transaction
// that is still running and may have appended, so an event that commits late is never
// passed (TestReaderNeverSkipsAnEventCommittedLate).
//
// Which transactions may have appended: migrations/008_event_appenders.sql makes every
// insert into events take a shared advisory lock before its transaction has an id, and
// refuses one whose transaction already has an id. So a transaction that is in this
// statement's snapshot (it has an id) and is seen running without the lock has not
// appended and never will: a bystander. Bystanders do not hold the tail back (one in
// another database, one on an unrelated table, a sealer, a projection's checkpoint);
// every other transaction in the snapshot does, including whatever cannot be told apart
// cheaply. Precisely:
//   - the horizon is the smallest id in the snapshot's in-progress list (pg_snapshot_xip,
//     exact xid8s) that is not a bystander, else the snapshot's xmax;
//   - a bystander's id lock is held, in one read of pg_locks taken after the snapshot
//     (MATERIALIZED: one read is one consistent view of the lock table), by a backend
//     that holds no appender lock in this database (matched by pid: the view is atomic,
//     so both locks are the same transaction's; virtualtransaction is not, a committing
//     backend clears it while the view is read). Lock rows carry 32-bit xids; the
//     in-progress ids are within 2^31 of each other, so the low 32 bits of an xid8 name
//     it exactly among them;
//   - and, checked after that read (the CASE orders it), the bystander is still in
//     progress: a transaction that has not yet committed has released none of its locks,
//     so the read saw all of them. One that ended after the snapshot, or has its id but
//     not yet its id's lock, is no bystander and holds the tail for this poll only.
//
// pg_locks is read only when the snapshot has transactions in progress. This relies on
// the snapshot being taken on the primary, as every reader here is.
const readAllSQL = horizonCTE + `
SELECT ` + selectColumns + ` FROM events
WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
  AND transaction_id < (SELECT xid FROM horizon)
ORDER BY events.transaction_id, events.global_position
LIMIT $3`

// horizonCTE computes the horizon for readAllSQL and tailSQL.
const horizonCTE = `WITH locks AS MATERIALIZED (
    SELECT locktype, database, classid, objid, objsubid, virtualtransaction, pid, transactionid, mode, granted
    FROM pg_locks WHERE locktype IN ('advisory', 'transactionid')
), bystanders AS (
    SELECT t.transactionid::text::bigint AS xid32 FROM locks t
    WHERE t.locktype = 'transactionid' AND t.mode = 'ExclusiveLock' AND t.granted
      AND NOT EXISTS (
          SELECT 1 FROM locks a
          WHERE a.locktype = 'advisory'
            AND (a.pid = t.pid OR (a.pid IS NULL AND t.pid IS NULL AND a.virtualtransaction = t.virtualtransaction))
            AND a.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            AND a.classid = 0 AND a.objid::bigint = events_appender_lock_key() AND a.objsubid = 1)
), horizon AS (
    SELECT coalesce(min(x), pg_snapshot_xmax(pg_current_snapshot())) AS xid
    FROM pg_snapshot_xip(pg_current_snapshot()) AS x
    WHERE CASE WHEN x::text::bigint % 4294967296 IN (SELECT xid32 FROM bystanders)
               THEN pg_xact_status(x) IS DISTINCT FROM 'in progress'
               ELSE true END
)`

// tailSQL is readAllSQL for subscriptions, which also need to know whether the horizon
// held anything back: whether a transaction that may append was still in flight (the
// horizon is below the snapshot's xmax). If none was, everything committed so far has
// been read and whatever commits next comes with a wake-up; if one was, it may roll back
// without one, so the subscription keeps looking. Every row carries that flag, and when
// no event is left to read one row comes back with the flag alone (event columns NULL).
// The join does not promise the inner order, so ReadAll's order is restored in Go.
const tailSQL = horizonCTE + `
SELECT h.xid < pg_snapshot_xmax(pg_current_snapshot()) AS held, e.*
FROM horizon h LEFT JOIN LATERAL (
    SELECT ` + selectColumns + ` FROM events
    WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
      AND transaction_id < h.xid
    ORDER BY events.transaction_id, events.global_position
    LIMIT $3) e ON true`

// ReadAll implements eventstore.Store.
func (s *Store) ReadAll(ctx context.Context, from eventstore.Position, limit int) ([]eventstore.RecordedEvent, error) {
	if limit <= 0 {
		limit = s.cfg.BatchSize
	}
	rows, err := s.pool.Query(ctx, readAllSQL, strconv.FormatUint(from.Commit, 10), int64(from.Prepare), limit)
	if err != nil {
		return nil, fmt.Errorf("reading all events after %s: %w", from, err)
	}
	return scanEvents(rows)
}

// readTail is ReadAll for subscriptions: the same events, and whether the horizon held
// back a transaction that may still append (see tailSQL).
func (s *Store) readTail(ctx context.Context, from eventstore.Position, limit int) ([]eventstore.RecordedEvent, bool, error) {
	rows, err := s.pool.Query(ctx, tailSQL, strconv.FormatUint(from.Commit, 10), int64(from.Prepare), limit)
	if err != nil {
		return nil, false, fmt.Errorf("reading all events after %s: %w", from, err)
	}
	defer rows.Close()
	var out []eventstore.RecordedEvent
	held := false
	for rows.Next() {
		if rows.RawValues()[1] == nil { // no event, only the flag
			if err := rows.Scan(&held, nil, nil, nil, nil, nil, nil, nil, nil, nil); err != nil {
				return nil, false, fmt.Errorf("reading events: %w", err)
			}
			continue
		}
		var e eventstore.RecordedEvent
		var id [16]byte
		var version, xid, pos int64
		if err := rows.Scan(&held, &id, &e.StreamID, &version, &e.Type, (*[]byte)(&e.Data), (*[]byte)(&e.Metadata), &e.RecordedAt, &xid, &pos); err != nil {
			return nil, false, fmt.Errorf("reading events: %w", err)
		}
		e.ID = id
		e.Version = uint64(version)
		e.Position = eventstore.Position{Commit: uint64(xid), Prepare: uint64(pos)}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("reading events: %w", err)
	}
	byPosition := func(a, b eventstore.RecordedEvent) int { return a.Position.Compare(b.Position) }
	if !slices.IsSortedFunc(out, byPosition) {
		slices.SortFunc(out, byPosition)
	}
	return out, held, nil
}

// Subscribe implements eventstore.Store by reading the safe tail whenever an append wakes
// it (wakeup.go), and by polling where a wake-up cannot be counted on: cheap index probes
// while idle, full batches while catching up. While the handler works on one batch the
// next is already being read, so catching up costs the slower of the two, not their sum.
func (s *Store) Subscribe(ctx context.Context, from eventstore.Position, handle func(context.Context, []eventstore.RecordedEvent) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		batch []eventstore.RecordedEvent
		err   error
	}
	batches := make(chan result, 1)
	go func() {
		defer close(batches)
		if !s.cfg.PollOnly {
			defer s.wake.acquire()()
		}
		// wait is the polling back-off: it starts short again after every batch and
		// every wake-up, and doubles up to PollInterval while nothing turns up.
		wait := time.Millisecond
		for {
			// Taken before reading: a commit after the read's snapshot closes it.
			signal, live := s.wake.state()
			if s.cfg.PollOnly {
				signal, live = nil, false
			}
			batch, held, err := s.readTail(ctx, from, s.cfg.BatchSize)
			if err != nil {
				if ctx.Err() != nil {
					err = ctx.Err()
				}
				select {
				case batches <- result{err: err}:
				case <-ctx.Done():
				}
				return
			}
			if len(batch) > 0 {
				select {
				case batches <- result{batch: batch}:
				case <-ctx.Done():
					return
				}
				from = batch[len(batch)-1].Position
				wait = time.Millisecond
				if len(batch) == s.cfg.BatchSize {
					continue
				}
			}
			// Caught up. With wake-ups live and nothing in flight below the tail, the next
			// event comes with a wake-up; otherwise keep looking, soon at first.
			pause := wait
			if live && !held {
				pause = s.cfg.IdlePollInterval
			} else {
				wait = min(2*wait, s.cfg.PollInterval)
			}
			timer := time.NewTimer(pause)
			select {
			case <-ctx.Done():
				timer.Stop()
				return
			case <-signal:
				wait = time.Millisecond
			case <-timer.C:
			}
			timer.Stop()
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case r, ok := <-batches:
			if !ok {
				return ctx.Err()
			}
			if r.err != nil {
				return r.err
			}
			if err := handle(ctx, r.batch); err != nil {
				return err
			}
		}
	}
}

func scanEvents(rows pgx.Rows) ([]eventstore.RecordedEvent, error) {
	defer rows.Close()
	var out []eventstore.RecordedEvent
	for rows.Next() {
		var e eventstore.RecordedEvent
		// [16]byte and []byte take pgx's direct paths: uuid.UUID would go through
		// database/sql's Scanner (a string per row) and a string would be copied twice.
		var id [16]byte
		var version, xid, pos int64
		if err := rows.Scan(&id, &e.StreamID, &version, &e.Type, (*[]byte)(&e.Data), (*[]byte)(&e.Metadata), &e.RecordedAt, &xid, &pos); err != nil {
			return nil, fmt.Errorf("reading events: %w", err)
		}
		e.ID = id
		e.Version = uint64(version)
		e.Position = eventstore.Position{Commit: uint64(xid), Prepare: uint64(pos)}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading events: %w", err)
	}
	return out, nil
}

func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}

func isInvalidJSON(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "22P02"
}

// CountAfter counts the events after position p: a projection's lag.
func (s *Store) CountAfter(ctx context.Context, p eventstore.Position) (int64, error) {
	var n int64
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM events WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)`,
		strconv.FormatUint(p.Commit, 10), int64(p.Prepare)).Scan(&n)
	return n, err
}
