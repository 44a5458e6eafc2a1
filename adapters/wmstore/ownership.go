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
		stop: make(chan struct{}), done: make(chan struct{})}
	go o.watch()
	return o
}

var errOwnershipClosed = errors.New("wmstore: ownership closed")

// Own waits until this process owns consumer, polling every poll. It returns a context that
// ends when ctx does or when the ownership is lost, and release, which gives it up.
func (o *Ownership) Own(ctx context.Context, consumer string, poll time.Duration) (context.Context, func(), error) {
	key := lockKey(consumer)
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
	if o.conn == nil {
		conn, err := pgx.ConnectConfig(ctx, o.connConfig)
		if err != nil {
			return nil, fmt.Errorf("connecting to hold consumer ownership: %w", err)
		}
		o.conn = conn
	}
	var got bool
	if err := o.conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, key).Scan(&got); err != nil {
		o.dropLocked()
		return nil, fmt.Errorf("taking consumer ownership: %w", err)
	}
	if !got {
		return nil, nil
	}
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
			if err := o.conn.Ping(ctx); err != nil {
				o.dropLocked()
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
