package audit

import (
	"context"

	"ledgerdesk/projector"

	"ledgerdesk/eventstore"
)

// boundedStore is the history up to and including a position: a replay through it stops
// exactly where the live projection's checkpoint stands, so the two can be compared while
// new events keep arriving.
type boundedStore struct {
	eventstore.Store
	upTo eventstore.Position
}

func (b boundedStore) ReadAll(ctx context.Context, from eventstore.Position, limit int) ([]eventstore.RecordedEvent, error) {
	if !from.Before(b.upTo) {
		return nil, nil
	}
	batch, err := b.Store.ReadAll(ctx, from, limit)
	if err != nil {
		return nil, err
	}
	for i, e := range batch {
		if b.upTo.Before(e.Position) {
			return batch[:i], nil
		}
	}
	return batch, nil
}

// CountAfter counts the events after p up to the bound, for the progress bar.
func (b boundedStore) CountAfter(ctx context.Context, p eventstore.Position) (int64, error) {
	c, ok := b.Store.(projector.Counter)
	if !ok {
		return -1, nil
	}
	all, err := c.CountAfter(ctx, p)
	if err != nil {
		return 0, err
	}
	beyond, err := c.CountAfter(ctx, b.upTo)
	if err != nil {
		return 0, err
	}
	return max(all-beyond, 0), nil
}
