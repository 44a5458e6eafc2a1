package wmstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Ownership makes a process the one owner of each of its consumers. The owner of a
// consumer holds a session advisory lock named after it; every lock a process holds sits
// on one connection of the Ownership's own, outside the pool. A process running thirteen
// projections therefore spends one connection on owning them, not thirteen, and waiting
// for ownership never takes a connection from the pool that owners need for their work.
//
// If that connection breaks, every lock on it is gone at once: each consumer that held one
// sees its context end and goes back to waiting for ownership. Between the break and that
// moment another process may already own the consumer; the checkpoint row lock (see
// deliver) makes that overlap harmless.
type Ownership struct {
	connConfig *pgx.ConnConfig
	check      time.Duration

	mu     sync.Mutex
	conn   *pgx.Conn
	held   map[int64]chan struct{} // closed when the lock is lost
	closed bool

	// Sharing out: wanted is every consumer asking to be owned here, and members how many
	// processes hold a membership lock (counted at most every check). A process takes a
	// free consumer only while it owns fewer than its share; one that no other process
	// takes within freeFor is taken anyway, so a consumer only one process runs is never
	// left unowned. Above its share, a process gives one up per check.
	wanted    map[int64]bool
	freeSince map[int64]time.Time
	kept      map[int64]time.Time // taken after nobody else did: not given up again until then
	members   int
	fewest    int // the fewest of these consumers any other member owns
	countedAt time.Time

	stop chan struct{}
	done chan struct{}
}

// DefaultOwnershipCheck is how often a held ownership connection is checked for life.
const DefaultOwnershipCheck = 2 * time.Second

// NewOwnership connects lazily (on the first Own) with cfg; check is how often a
// connection holding locks is pinged (DefaultOwnershipCheck when zero).
func NewOwnership(cfg *pgx.ConnConfig, check time.Duration) *Ownership {
	if check <= 0 {
		check = DefaultOwnershipCheck
	}
	o := &Ownership{connConfig: cfg.Copy(), check: check, held: map[int64]chan struct{}{},
		wanted: map[int64]bool{}, freeSince: map[int64]time.Time{}, kept: map[int64]time.Time{},
		stop: make(chan struct{}), done: make(chan struct{})}
	go o.watch()
	return o
}

var errOwnershipClosed = errors.New("wmstore: ownership closed")

// Own waits until this process owns consumer, polling every poll. It returns a context that
// ends when ctx does or when the ownership is lost, and release, which gives it up.
func (o *Ownership) Own(ctx context.Context, consumer string, poll time.Duration) (context.Context, func(), error) {
	key := lockKey(consumer)
	o.mu.Lock()
	o.wanted[key] = true
	o.mu.Unlock()
	defer func() {
		if ctx.Err() != nil {
			o.mu.Lock()
			delete(o.wanted, key)
			o.mu.Unlock()
		}
	}()
	for {
		lost, err := o.try(ctx, key)
		if err != nil {
			return nil, nil, err
		}
		if lost != nil {
			owned, cancel := context.WithCancel(ctx)
			go func() {
				select {
				case <-lost:
					cancel()
				case <-owned.Done():
				}
			}()
			return owned, func() { cancel(); o.release(key, lost) }, nil
		}
		select {
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		case <-o.stop:
			return nil, nil, errOwnershipClosed
		case <-time.After(poll):
		}
	}
}

// try takes the lock if it is free; a nil channel without error means someone else has it
// (another process, or another consumer of the same name in this one: advisory locks are
// re-entrant within a session, so the map is what keeps two local consumers apart).
func (o *Ownership) try(ctx context.Context, key int64) (chan struct{}, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return nil, errOwnershipClosed
	}
	if _, mine := o.held[key]; mine {
		return nil, nil
	}
	if err := o.connectLocked(ctx); err != nil {
		return nil, err
	}
	if over, err := o.atShareLocked(ctx); err != nil {
		o.dropLocked()
		return nil, fmt.Errorf("counting the processes that share consumers: %w", err)
	} else if over {
		first, seen := o.freeSince[key]
		if !seen {
			o.freeSince[key] = time.Now()
			return nil, nil
		}
		if time.Since(first) < o.freeFor() {
			return nil, nil
		}
	}
	var got bool
	if err := o.conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, key).Scan(&got); err != nil {
		o.dropLocked()
		return nil, fmt.Errorf("taking consumer ownership: %w", err)
	}
	if !got {
		delete(o.freeSince, key) // someone has it: the clock starts again when it is free
		return nil, nil
	}
	if _, waited := o.freeSince[key]; waited && len(o.held) >= o.shareLocked() {
		o.kept[key] = time.Now().Add(o.keepFor())
	}
	delete(o.freeSince, key)
	lost := make(chan struct{})
	o.held[key] = lost
	return lost, nil
}

func (o *Ownership) release(key int64, lost chan struct{}) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.held[key] != lost {
		return // lost already, with the connection that held it
	}
	delete(o.held, key)
	delete(o.kept, key)
	close(lost)
	if o.conn == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), StopCommitTimeout)
	defer cancel()
	if _, err := o.conn.Exec(ctx, `SELECT pg_advisory_unlock($1)`, key); err != nil {
		// A lock we cannot give back must not stay held by a live session: dropping the
		// connection releases it, and with it the others, whose consumers start over.
		o.dropLocked()
	}
}

// memberClass is the first key of the two-key advisory lock each process holds as a member
// of the consumers' owners; the second is its backend pid.
const memberClass int32 = 0x6c647772 // "ldwr"

func (o *Ownership) connectLocked(ctx context.Context) error {
	if o.conn != nil {
		return nil
	}
	conn, err := pgx.ConnectConfig(ctx, o.connConfig)
	if err != nil {
		return fmt.Errorf("connecting to hold consumer ownership: %w", err)
	}
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1, pg_backend_pid())`, memberClass); err != nil {
		_ = conn.Close(ctx)
		return fmt.Errorf("joining the consumers' owners: %w", err)
	}
	o.conn, o.countedAt = conn, time.Time{}
	return nil
}

// freeFor is how long a consumer may stay free before a process above its share takes it.
func (o *Ownership) freeFor() time.Duration { return 2 * o.check }

// keepFor is how long a consumer taken that way is not given up again: nobody else wanted
// it, and giving it straight back would only churn. Then it may be offered again, in case
// the process that wanted it was only slow to start.
func (o *Ownership) keepFor() time.Duration { return 15 * o.check }

// Want says which consumers this process will ask to own, before they ask: a process's
// share is counted from all of them from the start, not from those that asked first.
func (o *Ownership) Want(consumers ...string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, c := range consumers {
		o.wanted[lockKey(c)] = true
	}
}

// shareLocked is this process's fair share of what it wants owned.
func (o *Ownership) shareLocked() int {
	m := max(o.members, 1)
	return (len(o.wanted) + m - 1) / m
}

// atShareLocked says whether this process owns its share already, recounting the members
// at most once per check.
func (o *Ownership) atShareLocked(ctx context.Context) (bool, error) {
	if time.Since(o.countedAt) >= o.check {
		keys := make([]int64, 0, len(o.wanted))
		for k := range o.wanted {
			keys = append(keys, k)
		}
		// Every member, with how many of the consumers this process wants it owns.
		rows, err := o.conn.Query(ctx, `
			WITH here AS (SELECT oid FROM pg_database WHERE datname = current_database()),
			members AS (
				SELECT pid FROM pg_locks, here WHERE locktype = 'advisory' AND granted
				AND classid = $1::int::oid AND objsubid = 2 AND database = here.oid),
			owned AS (
				SELECT pid, count(*) AS n FROM pg_locks, here WHERE locktype = 'advisory' AND granted AND objsubid = 1
				AND database = here.oid AND ((classid::bigint << 32) | objid::bigint) = ANY($2) GROUP BY pid)
			SELECT m.pid = pg_backend_pid(), coalesce(o.n, 0) FROM members m LEFT JOIN owned o USING (pid)`, memberClass, keys)
		if err != nil {
			return false, err
		}
		members, fewest := 0, -1
		for rows.Next() {
			var me bool
			var n int
			if err := rows.Scan(&me, &n); err != nil {
				rows.Close()
				return false, err
			}
			members++
			if !me && (fewest < 0 || n < fewest) {
				fewest = n
			}
		}
		if err := rows.Err(); err != nil {
			return false, err
		}
		o.members, o.fewest, o.countedAt = members, max(fewest, 0), time.Now()
	}
	return len(o.held) >= o.shareLocked(), nil
}

// shedLocked gives up one consumer when this process owns more than its share, or two or
// more than the member owning fewest, so that a process that joins later gets some: the
// consumer's context ends and, being free, it is taken by a process below its share.
func (o *Ownership) shedLocked(ctx context.Context) {
	if o.members <= 1 || (len(o.held) <= o.shareLocked() && len(o.held)-o.fewest < 2) {
		return
	}
	for key, lost := range o.held {
		if time.Now().Before(o.kept[key]) {
			continue
		}
		if _, err := o.conn.Exec(ctx, `SELECT pg_advisory_unlock($1)`, key); err != nil {
			o.dropLocked()
			return
		}
		delete(o.held, key)
		close(lost)
		return
	}
}

// dropLocked closes the connection; every lock on it is released by the server, so every
// consumer that held one is told it lost it.
func (o *Ownership) dropLocked() {
	if o.conn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), StopCommitTimeout)
		_ = o.conn.Close(ctx)
		cancel()
		o.conn = nil
	}
	for key, lost := range o.held {
		close(lost)
		delete(o.held, key)
	}
}

// watch pings the connection while it holds locks: a broken connection has lost them, and
// the consumers must stop acting as owners.
func (o *Ownership) watch() {
	defer close(o.done)
	t := time.NewTicker(o.check)
	defer t.Stop()
	for {
		select {
		case <-o.stop:
			return
		case <-t.C:
		}
		o.mu.Lock()
		if o.conn != nil && len(o.held) > 0 {
			ctx, cancel := context.WithTimeout(context.Background(), 4*o.check)
			if _, err := o.atShareLocked(ctx); err != nil {
				o.dropLocked()
			} else {
				o.shedLocked(ctx)
			}
			cancel()
		}
		o.mu.Unlock()
	}
}

// Held is how many consumers this process owns now.
func (o *Ownership) Held() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.held)
}

// Close gives up every ownership and closes the connection.
func (o *Ownership) Close() {
	o.mu.Lock()
	if o.closed {
		o.mu.Unlock()
		return
	}
	o.closed = true
	o.dropLocked()
	o.mu.Unlock()
	close(o.stop)
	<-o.done
}
