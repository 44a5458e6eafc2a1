package esdb

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	esdbc "github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"ledgerdesk/eventstore"
)

func appeared(r *esdbc.RecordedEvent) *esdbc.SubscriptionEvent {
	return &esdbc.SubscriptionEvent{EventAppeared: &esdbc.ResolvedEvent{Event: r}}
}

func droppedWith(err error) *esdbc.SubscriptionEvent {
	return &esdbc.SubscriptionEvent{SubscriptionDropped: &esdbc.SubscriptionDropped{Error: err}}
}

func queued(evs ...*esdbc.SubscriptionEvent) chan *esdbc.SubscriptionEvent {
	ch := make(chan *esdbc.SubscriptionEvent, len(evs))
	for _, ev := range evs {
		ch <- ev
	}
	return ch
}

func domain(n uint64) *esdbc.RecordedEvent {
	return recorded("appointment-1", n-1, byte(n), "appointment.booked.v1", n*10)
}

func TestABatchHoldsWhatIsAlreadyBufferedUpToTheBatchSize(t *testing.T) {
	b := batcher{size: 3}
	items := queued(appeared(domain(2)), appeared(domain(3)), appeared(domain(4)), appeared(domain(5)))
	batch, dropped := b.collect(appeared(domain(1)), items)
	if dropped != nil || len(batch) != 3 || batch[0].Version != 1 || batch[2].Version != 3 {
		t.Fatalf("first batch = %v (dropped %v), want versions 1..3", versions(batch), dropped)
	}
	batch, _ = b.collect(<-items, items)
	if len(batch) != 2 || batch[0].Version != 4 || batch[1].Version != 5 {
		t.Fatalf("second batch = %v, want 4 and 5: flushed when nothing more is waiting", versions(batch))
	}
}

func TestABatchIsFlushedAsSoonAsNothingMoreIsWaiting(t *testing.T) {
	b := batcher{size: 100}
	batch, dropped := b.collect(appeared(domain(1)), queued())
	if dropped != nil || len(batch) != 1 {
		t.Fatalf("batch = %v, %v; want the single event at once", versions(batch), dropped)
	}
}

func TestSystemAndGuardEventsAreNeverDelivered(t *testing.T) {
	b := batcher{size: 10}
	guard := recorded(guardStream(id(2)), 0, 50, guardEventType, 15)
	link := recorded("$ce-appointment", 0, 51, "$>", 16)
	items := queued(appeared(guard), appeared(link), &esdbc.SubscriptionEvent{CheckPointReached: &esdbc.Position{Commit: 17, Prepare: 17}},
		&esdbc.SubscriptionEvent{CaughtUp: &esdbc.Subscription{}}, appeared(domain(2)))
	batch, _ := b.collect(appeared(domain(1)), items)
	if len(batch) != 2 || batch[0].Version != 1 || batch[1].Version != 2 {
		t.Fatalf("batch = %v, want only the two domain events", versions(batch))
	}
}

func TestEventsAtOrBeforeTheCursorAreNotDeliveredAgain(t *testing.T) {
	b := batcher{size: 10, cursor: pos(20)} // delivered up to version 2 before a reconnection
	batch, _ := b.collect(appeared(domain(2)), queued(appeared(domain(3)), appeared(domain(1)), appeared(domain(4))))
	if len(batch) != 2 || batch[0].Version != 3 || batch[1].Version != 4 {
		t.Fatalf("batch = %v, want 3 and 4 only", versions(batch))
	}
}

func TestADropEndsTheBatchAfterTheEventsBeforeIt(t *testing.T) {
	b := batcher{size: 10}
	boom := errors.New("connection reset")
	batch, dropped := b.collect(appeared(domain(1)), queued(appeared(domain(2)), droppedWith(boom), appeared(domain(3))))
	if !errors.Is(dropped, boom) || len(batch) != 2 {
		t.Fatalf("batch = %v, dropped = %v; want 1, 2 and the drop", versions(batch), dropped)
	}
	if _, dropped := b.collect(droppedWith(nil), queued()); !errors.Is(dropped, errDropped) {
		t.Errorf("a drop without a reason = %v, want errDropped", dropped)
	}
}

func versions(batch []eventstore.RecordedEvent) []uint64 {
	var vs []uint64
	for _, e := range batch {
		vs = append(vs, e.Version)
	}
	return vs
}

// fakeServer plays $all: a fixed log, subscriptions that start at `from` inclusive (the
// loop must skip it), optional failures to open, and drops after a scripted count.
type fakeServer struct {
	log []*esdbc.RecordedEvent

	mu        sync.Mutex
	drops     []int // per subscription: drop after this many messages; <0: never
	openFails int   // the next n opens fail
	permanent error // every open fails with this, for good
	froms     []eventstore.Position
}

func (f *fakeServer) open(_ context.Context, from eventstore.Position) (subscription, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.froms = append(f.froms, from)
	if f.permanent != nil {
		return nil, permanentError{f.permanent}
	}
	if f.openFails > 0 {
		f.openFails--
		return nil, errors.New("unavailable")
	}
	dropAfter := -1
	if len(f.drops) > 0 {
		dropAfter, f.drops = f.drops[0], f.drops[1:]
	}
	sub := &fakeSub{ch: make(chan *esdbc.SubscriptionEvent), closed: make(chan struct{})}
	var msgs []*esdbc.SubscriptionEvent
	for _, r := range f.log {
		if !position(r.Position).Before(from) {
			msgs = append(msgs, appeared(r))
		}
	}
	msgs = append(msgs, &esdbc.SubscriptionEvent{CaughtUp: &esdbc.Subscription{}})
	go sub.feed(msgs, dropAfter)
	return sub, nil
}

type fakeSub struct {
	ch     chan *esdbc.SubscriptionEvent
	closed chan struct{}
	once   sync.Once
}

func (s *fakeSub) feed(msgs []*esdbc.SubscriptionEvent, dropAfter int) {
	for i, m := range msgs {
		if i == dropAfter {
			m = droppedWith(io.ErrUnexpectedEOF)
		}
		select {
		case s.ch <- m:
		case <-s.closed:
			return
		}
		if i == dropAfter {
			return
		}
	}
	// then live, with nothing new: wait to be closed
}

func (s *fakeSub) Recv() *esdbc.SubscriptionEvent {
	select {
	case m := <-s.ch:
		return m
	case <-s.closed:
		return droppedWith(context.Canceled)
	}
}

func (s *fakeSub) Close() error {
	s.once.Do(func() { close(s.closed) })
	return nil
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func quietLoop(batch int) loopConfig {
	return loopConfig{batchSize: batch, minDelay: time.Millisecond, maxDelay: 4 * time.Millisecond,
		log: quietLogger()}
}

// domainLog is n domain events with guard and system events between them.
func domainLog(n int) (log []*esdbc.RecordedEvent, want []uint64) {
	p := uint64(0)
	for i := 1; i <= n; i++ {
		p += 10
		log = append(log, recorded(guardStream(id(byte(i))), 0, byte(i), guardEventType, p))
		p += 10
		log = append(log, recorded("appointment-1", uint64(i-1), byte(i), "appointment.booked.v1", p))
		p += 10
		log = append(log, recorded("$ce-appointment", uint64(i-1), byte(i), "$>", p))
		want = append(want, uint64(i))
	}
	return log, want
}

// collectUntil runs subscribeLoop until n events were delivered, then cancels it.
func collectUntil(t *testing.T, srv *fakeServer, from eventstore.Position, cfg loopConfig, n int) (got []eventstore.RecordedEvent, err error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = subscribeLoop(ctx, from, func(_ context.Context, batch []eventstore.RecordedEvent) error {
		if len(batch) == 0 || len(batch) > cfg.batchSize {
			return fmt.Errorf("batch of %d events with batch size %d", len(batch), cfg.batchSize)
		}
		got = append(got, batch...)
		if len(got) >= n {
			cancel()
		}
		return nil
	}, srv.open, cfg)
	if ctx.Err() == context.DeadlineExceeded {
		t.Fatalf("timed out after %d of %d events", len(got), n)
	}
	return got, err
}

func TestSubscriptionResumesAfterADropFromTheLastDeliveredEvent(t *testing.T) {
	log, want := domainLog(10)
	srv := &fakeServer{log: log, drops: []int{7, 5}, openFails: 0}
	got, err := collectUntil(t, srv, eventstore.Start, quietLoop(2), len(want))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Subscribe returned %v, want the context's error", err)
	}
	if fmt.Sprint(versions(got)) != fmt.Sprint(want) {
		t.Fatalf("delivered %v, want %v exactly once in order", versions(got), want)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if len(srv.froms) < 2 || srv.froms[0] != eventstore.Start {
		t.Fatalf("subscriptions opened from %v", srv.froms)
	}
	for i, from := range srv.froms[1:] {
		if from == eventstore.Start {
			t.Errorf("reconnection %d started from the beginning instead of the last delivered event", i+1)
		}
	}
}

func TestSubscriptionRetriesWhenItCannotConnect(t *testing.T) {
	log, want := domainLog(3)
	srv := &fakeServer{log: log, openFails: 3}
	got, _ := collectUntil(t, srv, eventstore.Start, quietLoop(10), len(want))
	if len(got) != len(want) {
		t.Fatalf("delivered %v, want %v", versions(got), want)
	}
}

func TestSubscriptionStartsAfterFrom(t *testing.T) {
	log, _ := domainLog(5)
	srv := &fakeServer{log: log}
	got, _ := collectUntil(t, srv, pos(50), quietLoop(10), 3) // version 2 is at position 50
	if fmt.Sprint(versions(got)) != "[3 4 5]" {
		t.Fatalf("delivered %v, want [3 4 5]", versions(got))
	}
}

func TestAHandlerErrorEndsTheSubscriptionAndIsReturned(t *testing.T) {
	log, _ := domainLog(5)
	srv := &fakeServer{log: log}
	boom := errors.New("projection failed")
	calls := 0
	err := subscribeLoop(context.Background(), eventstore.Start, func(context.Context, []eventstore.RecordedEvent) error {
		calls++
		return boom
	}, srv.open, quietLoop(1))
	if !errors.Is(err, boom) || calls != 1 {
		t.Fatalf("Subscribe = %v after %d calls, want the handler's error after 1", err, calls)
	}
}

func TestSubscriptionEndsWithTheContext(t *testing.T) {
	srv := &fakeServer{}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := subscribeLoop(ctx, eventstore.Start, func(context.Context, []eventstore.RecordedEvent) error { return nil }, srv.open, quietLoop(1))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Subscribe = %v, want the context's error", err)
	}
}

// TestEveryEventIsDeliveredExactlyOnceInOrderWhateverTheDrops hammers the loop with random
// logs, batch sizes, starting points, failed connections and drops.
func TestEveryEventIsDeliveredExactlyOnceInOrderWhateverTheDrops(t *testing.T) {
	const seed = 20250203
	rng := rand.New(rand.NewPCG(seed, seed))
	for round := range 60 {
		n := 1 + rng.IntN(60)
		log, want := domainLog(n)
		start := rng.IntN(n) // deliver from after version `start` (0: from the beginning)
		from := eventstore.Start
		if start > 0 {
			from = pos(uint64(start)*30 - 10)
		}
		want = want[start:]
		var drops []int
		for range rng.IntN(6) {
			drops = append(drops, rng.IntN(3*n+2))
		}
		srv := &fakeServer{log: log, drops: drops, openFails: rng.IntN(3)}
		cfg := quietLoop(1 + rng.IntN(8))
		if len(want) == 0 {
			continue
		}
		got, err := collectUntil(t, srv, from, cfg, len(want))
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("seed %d round %d: Subscribe = %v", seed, round, err)
		}
		if fmt.Sprint(versions(got)) != fmt.Sprint(want) {
			t.Fatalf("seed %d round %d (batch %d, drops %v, from %s): delivered %v, want %v",
				seed, round, cfg.batchSize, drops, from, versions(got), want)
		}
	}
}

func TestSubscriptionGivesUpWhenReconnectingCannotHelp(t *testing.T) {
	closed := errors.New("connection is closed")
	srv := &fakeServer{permanent: closed}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := subscribeLoop(ctx, eventstore.Start, func(context.Context, []eventstore.RecordedEvent) error { return nil }, srv.open, quietLoop(1))
	if !errors.Is(err, closed) {
		t.Fatalf("Subscribe = %v, want the permanent error at once", err)
	}
	if len(srv.froms) != 1 {
		t.Errorf("tried %d times, want 1", len(srv.froms))
	}
}
