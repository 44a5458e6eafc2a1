// Package memstore is an in-memory event store: the reference adapter of the eventstore
// port, for fast unit tests of the command layer and for trying the port's semantics
// without a database.
//
// It keeps the same promises as the production adapters, so a test that passes here is
// not passing only because memory is forgiving: optimistic concurrency per stream,
// idempotent retries recognised by event id, atomic batches, a global order by Position
// (Commit and Prepare are both the append sequence number), JSON payloads checked as
// JSON, timestamps at microsecond precision as Postgres keeps them, and no aliasing of
// the caller's buffers. Nothing survives the process.
package memstore

import (
	"errors"
	"sync"
	"time"

	"ledgerdesk/eventstore"
)

// ErrClosed is returned by every call on a store after Close.
var ErrClosed = errors.New("memstore: store is closed")

// subscribeBatch caps how many events Subscribe hands to one call of the handler, so a
// long history is delivered in pieces the handler can checkpoint between.
const subscribeBatch = 256

// Store is an in-memory eventstore.Store, safe for concurrent use.
type Store struct {
	now func() time.Time

	mu sync.Mutex
	// all is the global log: the event at index i has sequence number i+1.
	all []eventstore.RecordedEvent
	// streams maps a stream name to the indexes in all of its events, in version order.
	streams map[string][]int
	// byID maps an event id to its index in all.
	byID map[[16]byte]int
	// appended is closed (and replaced) by every append, waking live subscribers.
	appended chan struct{}
	closed   bool
}

var _ eventstore.Store = (*Store)(nil)

// Option configures a Store.
type Option func(*Store)

// WithClock makes the store stamp RecordedAt from now instead of the wall clock, so a
// test can pin the recorded time of the events it appends.
func WithClock(now func() time.Time) Option {
	return func(s *Store) { s.now = now }
}

// New returns an empty store.
func New(opts ...Option) *Store {
	s := &Store{
		now:      time.Now,
		streams:  make(map[string][]int),
		byID:     make(map[[16]byte]int),
		appended: make(chan struct{}),
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Close wakes every subscriber and makes further calls return ErrClosed.
func (s *Store) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.closed = true
	close(s.appended)
}

// position is the global position of the event at index i of the log.
func position(i int) eventstore.Position {
	seq := uint64(i) + 1
	return eventstore.Position{Commit: seq, Prepare: seq}
}

// microseconds keeps a timestamp to the precision Postgres stores, in UTC and without a
// monotonic reading, so tests cannot come to depend on precision production loses.
func microseconds(t time.Time) time.Time {
	return t.UTC().Truncate(time.Microsecond)
}
