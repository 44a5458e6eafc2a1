package postgres

import (
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// notifyChannel is what appends NOTIFY and the listener LISTENs on. NOTIFY is scoped to
// one database, so stores on other databases of the same server never wake each other.
const notifyChannel = "ledgerdesk_events"

// notifySQL tells other processes' subscriptions that events were committed. It runs in a
// transaction of its own, after the append's commit, rather than inside the append: a
// transaction that NOTIFYs holds one lock shared by the whole server from its commit until
// its commit record is flushed, so appends that notified committed one at a time, each
// waiting for the disk: 16 writers of single events fell from 0.96x to 0.07x the plain
// INSERT baseline (BenchmarkAppend, one run on a 2-core machine). This transaction writes
// nothing but the commit record, which it need not wait for, so it holds that lock only
// for a moment; and one process's appends share one NOTIFY at a time (notifier). The
// payload names the sending Store, whose own listener skips it: that store already woke
// its subscriptions directly.
const notifySQL = `SELECT set_config('synchronous_commit', 'off', true), pg_notify('` + notifyChannel + `', $1)`

// notifyTimeout bounds one NOTIFY; a lost one costs a poll, not an event.
const notifyTimeout = 5 * time.Second

// notifyGap is the least time between one store's NOTIFYs. Each borrows a connection of
// the pool for a round trip, and a CLI command's pool is small (wiring.CommandPool), so
// under a burst of appends (an import) the notifications are bounded to 500 a second,
// using a small share of one connection; a wake-up in another process comes at most this
// much later, and no later at all while appends come further apart. This store's own
// subscriptions are woken at once whatever the gap.
const notifyGap = 2 * time.Millisecond

// Limits of the listening connection.
const (
	// listenPing is how long the listener waits for a notification before it pings the
	// server: a connection that died without an error (a dropped network path) must not
	// leave every subscription waiting on wake-ups that can no longer come.
	listenPing = 30 * time.Second
	// listenRetryMin and listenRetryMax bound the pause between attempts to reconnect;
	// subscriptions poll at PollInterval meanwhile.
	listenRetryMin = 100 * time.Millisecond
	listenRetryMax = 5 * time.Second
	// listenLinger keeps the connection open this long after the last subscription ends,
	// so a subscription restarting (a consumer recovering from an error) does not cost a
	// reconnect each time.
	listenLinger = 2 * time.Second
	// closeTimeout bounds closing the listening connection once it is no longer wanted.
	closeTimeout = 3 * time.Second
)

// wakeups is a Store's one listening connection, shared by all its subscriptions: a
// process has one however many projections and policies it runs, which matters on a server
// whose connections are counted. The connection exists only while something subscribes
// (a store that only appends, in a CLI command, never opens it).
//
// A wake-up is a broadcast: signal is closed and replaced, so every subscription waiting on
// the old channel wakes and the next wait takes the new one. A subscription takes the
// channel before it reads, so a commit that lands after its read always wakes it.
type wakeups struct {
	pool       *pgxpool.Pool
	connConfig *pgx.ConnConfig
	log        *slog.Logger
	// id is this store's name in its notifications' payload.
	id string

	mu sync.Mutex
	// notifying: a NOTIFY is being sent; again: an append committed since it was issued,
	// so another must follow.
	notifying, again bool
	refs             int
	gen              int // which run of the listener owns live, pid and stop
	stop             context.CancelFunc
	done             chan struct{}
	signal           chan struct{}
	live             bool   // LISTEN is in place: a commit from now on wakes the waiters
	pid              uint32 // backend of the listening connection, while live
}

func newWakeups(pool *pgxpool.Pool, log *slog.Logger) *wakeups {
	return &wakeups{pool: pool, connConfig: pool.Config().ConnConfig, log: log, id: rand.Text()[:16], signal: make(chan struct{})}
}

// appended is called once an append has committed: it wakes this store's subscriptions at
// once and has the notifier tell everyone else's.
func (w *wakeups) appended(ctx context.Context) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.wakeLocked()
	if w.notifying {
		w.again = true
		return
	}
	w.notifying = true
	go w.notifier(context.WithoutCancel(ctx))
}

// notifier sends NOTIFYs until no append is left untold, one at a time and notifyGap
// apart: appends that commit while one is on its way are told by the next, so a burst of
// appends costs few notifications, and a quiet store runs no goroutine at all.
func (w *wakeups) notifier(ctx context.Context) {
	for {
		next := time.Now().Add(notifyGap)
		nctx, cancel := context.WithTimeout(ctx, notifyTimeout)
		_, err := w.pool.Exec(nctx, notifySQL, w.id)
		cancel()
		if err != nil {
			// Other processes' subscriptions find the events at their next poll.
			w.log.DebugContext(ctx, "event store: could not notify other processes of an append", "err", err)
		}
		w.mu.Lock()
		if !w.again {
			w.notifying = false
			w.mu.Unlock()
			return
		}
		w.again = false
		w.mu.Unlock()
		time.Sleep(time.Until(next))
	}
}

// acquire registers a subscription and starts the listener if it is not running. The
// returned release must be called once the subscription no longer waits.
func (w *wakeups) acquire() (release func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.refs++
	if w.stop == nil {
		w.gen++
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		w.stop, w.done = cancel, done
		go func(gen int) {
			defer close(done)
			w.listen(ctx, gen)
		}(w.gen)
	}
	var once sync.Once
	return func() { once.Do(w.release) }
}

func (w *wakeups) release() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.refs--; w.refs > 0 {
		return
	}
	gen := w.gen
	time.AfterFunc(listenLinger, func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		if w.refs == 0 && w.gen == gen && w.stop != nil {
			w.stopLocked()
		}
	})
}

// stopLocked ends the running listener without waiting for it; w.mu is held.
func (w *wakeups) stopLocked() {
	w.stop()
	w.stop = nil
	w.live = false
	w.pid = 0
	w.gen++        // the old run must not report itself live any more
	w.wakeLocked() // and whoever still waits must stop counting on it
}

// shutdown ends the listener, if any, and waits for its connection to close.
func (w *wakeups) shutdown() {
	w.mu.Lock()
	done := w.done
	if w.stop != nil {
		w.stopLocked()
	}
	w.mu.Unlock()
	if done != nil {
		<-done
	}
}

// state is the channel the next wake-up closes, and whether wake-ups are live: whether a
// commit after this call is certain to close it.
func (w *wakeups) state() (<-chan struct{}, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.signal, w.live
}

// listenerPID is the backend pid of the live listening connection, 0 while there is none.
func (w *wakeups) listenerPID() uint32 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.pid
}

// wake wakes every waiting subscription.
func (w *wakeups) wake() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.wakeLocked()
}

func (w *wakeups) wakeLocked() {
	close(w.signal)
	w.signal = make(chan struct{})
}

// setLive records whether run gen is listening, and wakes the waiters either way: on
// connecting, so that what committed while nobody listened is read now; on losing the
// connection, so that waiters stop counting on wake-ups and poll instead.
func (w *wakeups) setLive(gen int, live bool, pid uint32) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.gen != gen {
		return
	}
	w.live, w.pid = live, pid
	w.wakeLocked()
}

// listen keeps one LISTEN connection open until ctx ends, reconnecting with back-off.
func (w *wakeups) listen(ctx context.Context, gen int) {
	retry := listenRetryMin
	for ctx.Err() == nil {
		wasLive, err := w.session(ctx, gen)
		w.setLive(gen, false, 0)
		if ctx.Err() != nil {
			return
		}
		if wasLive {
			retry = listenRetryMin
		}
		w.log.WarnContext(ctx, "event store: lost the connection that listens for appends; polling until it is back",
			"err", err, "retry_in", retry)
		select {
		case <-ctx.Done():
			return
		case <-time.After(retry):
		}
		retry = min(2*retry, listenRetryMax)
	}
}

// session connects, listens, and turns every notification into a wake-up until the
// connection fails or ctx ends. wasLive says whether LISTEN was ever in place.
func (w *wakeups) session(ctx context.Context, gen int) (wasLive bool, err error) {
	conn, err := pgx.ConnectConfig(ctx, w.connConfig.Copy())
	if err != nil {
		return false, err
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.Background(), closeTimeout)
		defer cancel()
		_ = conn.Close(closeCtx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+notifyChannel); err != nil {
		return false, err
	}
	w.setLive(gen, true, conn.PgConn().PID())
	for {
		waitCtx, cancel := context.WithTimeout(ctx, listenPing)
		n, err := conn.WaitForNotification(waitCtx)
		cancel()
		switch {
		case err == nil:
			if n.Payload != w.id { // our own appends woke our subscriptions already
				w.wake()
			}
		case ctx.Err() != nil:
			return true, ctx.Err()
		case errors.Is(err, context.DeadlineExceeded):
			if err := conn.Ping(ctx); err != nil {
				return true, err
			}
		default:
			return true, err
		}
	}
}
