package memstore

import (
	"context"

	"ledgerdesk/eventstore"
)

// Subscribe implements eventstore.Store: it reads the log in batches from from, and once
// caught up sleeps until the next append (or ctx's end, or Close) wakes it.
func (s *Store) Subscribe(ctx context.Context, from eventstore.Position, handle func(ctx context.Context, batch []eventstore.RecordedEvent) error) error {
	pos := from
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		batch, wake, err := s.next(pos)
		if err != nil {
			return err
		}
		if len(batch) == 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-wake:
			}
			continue
		}
		// The handler runs without the lock so it may itself append (a policy
		// issuing the next command) without deadlocking.
		if err := handle(ctx, batch); err != nil {
			return err
		}
		pos = batch[len(batch)-1].Position
	}
}

// next returns the events after pos, or, when there are none, the channel the next
// append will close. Taking both under one lock is what makes a wake-up impossible to miss.
func (s *Store) next(pos eventstore.Position) ([]eventstore.RecordedEvent, <-chan struct{}, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, nil, ErrClosed
	}
	return s.after(pos, subscribeBatch), s.appended, nil
}
