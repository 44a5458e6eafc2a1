package memstore

import (
	"bytes"
	"context"
	"fmt"
	"sort"

	"ledgerdesk/eventstore"
)

// ReadStream implements eventstore.Store. A limit below 1 is refused rather than read
// as "everything": a caller that forgot its page size should find out here, not in
// production against a stream of a million events.
func (s *Store) ReadStream(ctx context.Context, stream string, from uint64, limit int) ([]eventstore.RecordedEvent, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if limit < 1 {
		return nil, fmt.Errorf("memstore: read stream %q: limit %d: want at least 1", stream, limit)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	idx := s.streams[stream]
	if from > 0 {
		from-- // versions start at 1; index = version - 1
	}
	if from >= uint64(len(idx)) {
		return []eventstore.RecordedEvent{}, nil
	}
	idx = idx[from:]
	idx = idx[:min(len(idx), limit)]
	out := make([]eventstore.RecordedEvent, len(idx))
	for k, i := range idx {
		out[k] = clone(s.all[i])
	}
	return out, nil
}

// ReadAll implements eventstore.Store. Every event in memory is committed, so all of them
// are safe for a tailing reader.
func (s *Store) ReadAll(ctx context.Context, from eventstore.Position, limit int) ([]eventstore.RecordedEvent, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if limit < 1 {
		return nil, fmt.Errorf("memstore: read all: limit %d: want at least 1", limit)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	return s.after(from, limit), nil
}

// after copies up to limit events strictly after from. The caller holds mu.
func (s *Store) after(from eventstore.Position, limit int) []eventstore.RecordedEvent {
	start := sort.Search(len(s.all), func(i int) bool { return from.Before(position(i)) })
	end := min(len(s.all), start+limit)
	out := make([]eventstore.RecordedEvent, 0, end-start)
	for _, e := range s.all[start:end] {
		out = append(out, clone(e))
	}
	return out
}

// clone gives the caller its own payload buffers, so changing a read event cannot
// rewrite history.
func clone(e eventstore.RecordedEvent) eventstore.RecordedEvent {
	e.Data = bytes.Clone(e.Data)
	e.Metadata = bytes.Clone(e.Metadata)
	return e
}
