package esdb

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	esdbc "github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"ledgerdesk/eventstore"
)

// Subscribe delivers every domain event after from, in $all order and in batches, first
// the history and then live events, until ctx ends or handle fails.
//
// It is a catch-up subscription to $all with ESDB's server-side filter that leaves system
// events out (the adapter's guard records are "$" events too, so they go with them). A
// batch is whatever has already arrived, up to Config.SubscribeBatchSize: it is handed
// over as soon as nothing more is immediately available, so a quiet store delivers one
// event at a time and a busy one larger batches. When the connection drops, Subscribe
// reconnects with exponential backoff from the last event it delivered, skipping
// anything at or before it, so nothing is lost and nothing repeated.
func (s *Store) Subscribe(ctx context.Context, from eventstore.Position, handle func(ctx context.Context, batch []eventstore.RecordedEvent) error) error {
	return subscribeLoop(ctx, from, handle, s.openSubscription, loopConfig{
		batchSize: s.cfg.SubscribeBatchSize,
		minDelay:  s.cfg.ReconnectMin,
		maxDelay:  s.cfg.ReconnectMax,
		log:       s.log,
	})
}

// subscription is the part of *esdbc.Subscription the delivery loop uses.
type subscription interface {
	Recv() *esdbc.SubscriptionEvent
	Close() error
}

type openFunc func(ctx context.Context, from eventstore.Position) (subscription, error)

func (s *Store) openSubscription(ctx context.Context, from eventstore.Position) (subscription, error) {
	sub, err := s.client.SubscribeToAll(ctx, esdbc.SubscribeToAllOptions{
		From:   allFrom(from),
		Filter: esdbc.ExcludeSystemEventsFilter(),
	})
	switch {
	case isCode(err, esdbc.ErrorCodeConnectionClosed), isCode(err, esdbc.ErrorCodeAccessDenied), isCode(err, esdbc.ErrorCodeUnauthenticated):
		// Reconnecting cannot help a closed store or a user without the rights to $all.
		return nil, permanentError{err}
	case err != nil:
		return nil, err
	}
	return sub, nil
}

// permanentError is a failure to subscribe that no reconnection will cure.
type permanentError struct{ err error }

func (p permanentError) Error() string { return p.err.Error() }
func (p permanentError) Unwrap() error { return p.err }

type loopConfig struct {
	batchSize          int
	minDelay, maxDelay time.Duration
	log                *slog.Logger
}

// handlerError marks the handler's own failure, which ends Subscribe instead of
// triggering a reconnection.
type handlerError struct{ err error }

func (h handlerError) Error() string { return h.err.Error() }
func (h handlerError) Unwrap() error { return h.err }

var errDropped = errors.New("esdb: subscription dropped")

// subscribeLoop keeps a subscription alive across drops, resuming after the last
// delivered position.
func subscribeLoop(ctx context.Context, from eventstore.Position, handle func(context.Context, []eventstore.RecordedEvent) error,
	open openFunc, cfg loopConfig) error {
	last := from
	delay := cfg.minDelay
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		sub, err := open(ctx, last)
		if pe := (permanentError{}); errors.As(err, &pe) && ctx.Err() == nil {
			return fmt.Errorf("esdb: subscribe to $all after %s: %w", last, pe.err)
		}
		progressed := false
		if err == nil {
			progressed, err = pump(ctx, sub, cfg.batchSize, &last, handle)
			_ = sub.Close()
			var he handlerError
			if errors.As(err, &he) {
				return he.err
			}
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		if progressed {
			delay = cfg.minDelay
		}
		cfg.log.Warn("esdb subscription lost; reconnecting", "after", last.String(), "in", delay, "err", err)
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		delay = min(2*delay, cfg.maxDelay)
	}
}

// pump delivers one subscription's events until it drops, ctx ends or handle fails.
// last advances only after handle has accepted a batch, so a reconnection resumes exactly
// after what the handler has seen.
func pump(ctx context.Context, sub subscription, batchSize int, last *eventstore.Position,
	handle func(context.Context, []eventstore.RecordedEvent) error) (progressed bool, err error) {
	if batchSize <= 0 {
		batchSize = DefaultSubscribeBatchSize
	}
	items := make(chan *esdbc.SubscriptionEvent, batchSize)
	done := make(chan struct{})
	defer close(done)
	go func() {
		// Recv blocks; this reader lets the loop below see what is already buffered
		// without blocking. It ends when the subscription drops (Close makes it drop).
		for {
			ev := sub.Recv()
			if ev == nil {
				ev = &esdbc.SubscriptionEvent{SubscriptionDropped: &esdbc.SubscriptionDropped{Error: errDropped}}
			}
			select {
			case items <- ev:
			case <-done:
				return
			}
			if ev.SubscriptionDropped != nil {
				return
			}
		}
	}()

	b := batcher{size: batchSize, cursor: *last}
	for {
		var first *esdbc.SubscriptionEvent
		select {
		case <-ctx.Done():
			return progressed, ctx.Err()
		case first = <-items:
		}
		batch, dropped := b.collect(first, items)
		if len(batch) > 0 {
			if err := handle(ctx, batch); err != nil {
				return progressed, handlerError{err}
			}
			*last = batch[len(batch)-1].Position
			progressed = true
		}
		if dropped != nil {
			return progressed, dropped
		}
	}
}

// batcher turns subscription messages into batches of domain events.
type batcher struct {
	size   int
	cursor eventstore.Position // the last event put in a batch
}

// collect builds one batch from first and whatever is already waiting in items, without
// blocking: at most b.size events, stopping early at a drop (dropped is then non-nil and
// the batch holds the events that arrived before it).
func (b *batcher) collect(first *esdbc.SubscriptionEvent, items <-chan *esdbc.SubscriptionEvent) (batch []eventstore.RecordedEvent, dropped error) {
	batch = make([]eventstore.RecordedEvent, 0, min(b.size, len(items)+1))
	ev := first
	for {
		if d := ev.SubscriptionDropped; d != nil {
			if dropped = d.Error; dropped == nil {
				dropped = errDropped
			}
			return batch, dropped
		}
		if rec, ok := b.accept(ev); ok {
			batch = append(batch, rec)
		}
		if len(batch) >= b.size {
			return batch, nil
		}
		select {
		case ev = <-items:
		default:
			return batch, nil
		}
	}
}

// accept reports whether ev carries a domain event not yet delivered. Checkpoints,
// caught-up and fell-behind notices carry none; events at or before the cursor were
// delivered before a reconnection.
func (b *batcher) accept(ev *esdbc.SubscriptionEvent) (eventstore.RecordedEvent, bool) {
	if ev.EventAppeared == nil || !deliverable(ev.EventAppeared.Event) {
		return eventstore.RecordedEvent{}, false
	}
	rec := fromRecorded(ev.EventAppeared.Event)
	if !b.cursor.Before(rec.Position) {
		return eventstore.RecordedEvent{}, false
	}
	b.cursor = rec.Position
	return rec, true
}
