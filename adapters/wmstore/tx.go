package wmstore

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"ledgerdesk/eventstore"
)

// Tx is the transaction a message is delivered in. Handlers write their effects through it
// and the subscriber commits them together with its checkpoint, so an effect and the
// record that it happened can never part.
//
// Writes are queued and sent in one round trip when the batch commits (or when the handler
// reads, so it always reads its own writes). That is what lets a projection keep up with
// 100,000 events a second: per-event round trips would cap it at a fraction of that.
type Tx struct {
	tx      pgx.Tx
	queue   *pgx.Batch
	careful bool
	// mark is where the current message's queued writes begin; savepoint says whether the
	// message has flushed since its start, so a rollback must go to the server.
	mark      int
	savepoint bool
	aborted   bool
	// coalescer, when set, merges the queued single-row writes at each flush.
	coalescer *Coalescer
	// memos are what handlers remember within the transaction (see Memo).
	memos map[any]any
	// flushes counts the flushes that sent writes.
	flushes int
}

func newTx(tx pgx.Tx, careful bool) *Tx { return &Tx{tx: tx, queue: &pgx.Batch{}, careful: careful} }

// NewTx wraps a transaction for code that applies events outside a subscription (a
// rebuild, a retry of a parked event). Careful flushes after each message.
func NewTx(tx pgx.Tx, careful bool) *Tx { return newTx(tx, careful) }

// NewCoalescingTx is NewTx for a replay: each flush merges the queued writes into
// multi-row statements (see Coalescer), which is what makes a rebuild fast.
func NewCoalescingTx(tx pgx.Tx, careful bool, c *Coalescer) *Tx {
	t := newTx(tx, careful)
	t.coalescer = c
	return t
}

// BeginMessage, EndMessage and RestartMessage bracket one event's writes for such code.
func (t *Tx) BeginMessage() { t.beginMessage() }

// EndMessage keeps the current message's writes.
func (t *Tx) EndMessage() { t.endMessage() }

// Aborted reports that a flush failed and the transaction needs a RestartMessage.
func (t *Tx) Aborted() bool { return t.aborted }

// Exec queues a write.
func (t *Tx) Exec(sql string, args ...any) { t.queue.Queue(sql, args...) }

// Query flushes queued writes and runs a query in the transaction.
func (t *Tx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if err := t.Flush(ctx); err != nil {
		return nil, err
	}
	return t.tx.Query(ctx, sql, args...)
}

// QueryRow flushes queued writes and runs a one-row query in the transaction.
func (t *Tx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if err := t.Flush(ctx); err != nil {
		return errRow{err}
	}
	return t.tx.QueryRow(ctx, sql, args...)
}

// ExecNow flushes queued writes and runs sql immediately, returning its command tag.
func (t *Tx) ExecNow(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	if err := t.Flush(ctx); err != nil {
		return pgconn.CommandTag{}, err
	}
	return t.tx.Exec(ctx, sql, args...)
}

// Memo returns the value handlers keep under key for the rest of the transaction, made
// by create the first time. It is for remembering what a handler wrote (or read), so that
// it need not read it back: a read sends every queued write first, which splits a
// replay's merged statements. A handler must update what it remembers with each write it
// queues, so that a memo never says less than the rows will.
//
// Memos are dropped when a message restarts: they may hold what the undone message wrote.
// A new transaction starts with none.
func (t *Tx) Memo(key any, create func() any) any {
	if v, ok := t.memos[key]; ok {
		return v
	}
	if t.memos == nil {
		t.memos = map[any]any{}
	}
	v := create()
	t.memos[key] = v
	return v
}

// Flushes is how many times the transaction has sent queued writes: a memo that logs the
// writes it queues knows, by it, which of them the server has seen.
func (t *Tx) Flushes() int { return t.flushes }

// QueryFlushed runs a query that sees the writes already sent but not those still queued,
// so it splits no replay's merged writes. It is for a handler that logs its own queued
// writes to the rows it reads (see Memo and Flushes) and applies them to the answer.
func (t *Tx) QueryFlushed(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return t.tx.Query(ctx, sql, args...)
}

// Careful reports that the subscriber is replaying events one at a time to find which one
// fails; handler wrappers flush after each event then, so the error lands on the right one.
func (t *Tx) Careful() bool { return t.careful }

// Flush sends queued writes now.
func (t *Tx) Flush(ctx context.Context) error {
	if t.queue.Len() == 0 {
		return nil
	}
	if !t.savepoint {
		// The first flush inside a message sets a savepoint before that message's writes,
		// so a failing message can be undone without losing the batch.
		rest := t.queue.QueuedQueries[t.mark:]
		head := &pgx.Batch{QueuedQueries: append([]*pgx.QueuedQuery{}, t.queue.QueuedQueries[:t.mark]...)}
		head.Queue("SAVEPOINT ledgerdesk_message")
		head.QueuedQueries = append(head.QueuedQueries, rest...)
		t.queue = head
		t.savepoint = true
	}
	q := t.queue
	t.queue = &pgx.Batch{}
	t.mark = 0
	t.flushes++
	if t.coalescer != nil {
		merged, err := t.coalescer.coalesce(ctx, t.tx, q.QueuedQueries)
		if err != nil {
			t.aborted = true
			return fmt.Errorf("writing read model: %w", err)
		}
		q = &pgx.Batch{QueuedQueries: merged}
	}
	if err := t.tx.SendBatch(ctx, q).Close(); err != nil {
		t.aborted = true
		return fmt.Errorf("writing read model: %w", err)
	}
	return nil
}

// beginMessage starts a message's unit of work.
func (t *Tx) beginMessage() {
	t.mark = t.queue.Len()
	t.savepoint = false
}

// RestartMessage undoes everything the current message wrote, for a retry or a nack.
func (t *Tx) RestartMessage(ctx context.Context) error {
	t.memos = nil
	if t.savepoint {
		if _, err := t.tx.Exec(ctx, "ROLLBACK TO SAVEPOINT ledgerdesk_message"); err != nil {
			return fmt.Errorf("undoing a failed message: %w", err)
		}
		t.aborted = false
		t.savepoint = false
	}
	t.queue.QueuedQueries = t.queue.QueuedQueries[:t.mark]
	return nil
}

// endMessage keeps the message's writes.
func (t *Tx) endMessage() {
	if t.savepoint {
		t.queue.Queue("RELEASE SAVEPOINT ledgerdesk_message")
	}
	t.savepoint = false
	t.mark = t.queue.Len()
}

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

type ctxKey int

const (
	txKey ctxKey = iota
	eventKey
)

// TxFromContext returns the transaction a message was delivered in.
func TxFromContext(ctx context.Context) (*Tx, bool) {
	t, ok := ctx.Value(txKey).(*Tx)
	return t, ok
}

// EventFromContext returns the stored event a message carries.
func EventFromContext(ctx context.Context) (eventstore.RecordedEvent, bool) {
	// The context holds a pointer into the delivered batch: boxing the event itself would
	// copy it to the heap once per message.
	e, ok := ctx.Value(eventKey).(*eventstore.RecordedEvent)
	if !ok {
		return eventstore.RecordedEvent{}, false
	}
	return *e, true
}
