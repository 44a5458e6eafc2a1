package memstore

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"ledgerdesk/eventstore"
)

// Append implements eventstore.Store.
//
// A batch whose ids are all already in this stream, in the same order, at consecutive
// versions, with the same type and data, is a retry: when the expectation is Any or the
// version the first append expected, it returns the first append's result and writes
// nothing. Any other reuse of an id is eventstore.ErrDuplicateEventID.
func (s *Store) Append(ctx context.Context, stream string, expected eventstore.ExpectedVersion, events ...eventstore.EventData) (eventstore.AppendResult, error) {
	if err := ctx.Err(); err != nil {
		return eventstore.AppendResult{}, err
	}
	if err := eventstore.ValidateAppend(stream, events); err != nil {
		return eventstore.AppendResult{}, err
	}
	if err := validateJSON(stream, events); err != nil {
		return eventstore.AppendResult{}, err
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return eventstore.AppendResult{}, ErrClosed
	}

	if res, retry, err := s.recognise(stream, expected, events); err != nil || retry {
		return res, err
	}

	current := uint64(len(s.streams[stream]))
	if want, ok := expected.Version(); ok && want != current {
		return eventstore.AppendResult{}, &eventstore.ConflictError{Stream: stream, Expected: expected, Actual: current}
	}

	now := microseconds(s.now())
	for _, e := range events {
		i := len(s.all)
		recordedAt := now
		if !e.RecordedAt.IsZero() {
			recordedAt = microseconds(e.RecordedAt)
		}
		s.all = append(s.all, eventstore.RecordedEvent{
			ID:         e.ID,
			StreamID:   stream,
			Version:    uint64(len(s.streams[stream])) + 1,
			Type:       e.Type,
			Data:       bytes.Clone(e.Data),
			Metadata:   bytes.Clone(e.Metadata),
			RecordedAt: recordedAt,
			Position:   position(i),
		})
		s.streams[stream] = append(s.streams[stream], i)
		s.byID[e.ID] = i
	}
	close(s.appended)
	s.appended = make(chan struct{})

	last := s.all[len(s.all)-1]
	return eventstore.AppendResult{Version: last.Version, Position: last.Position}, nil
}

// recognise decides whether events, some of whose ids may already be stored, are a retry
// of an earlier append (retry true, with its result), a misuse of ids (an error), or new.
func (s *Store) recognise(stream string, expected eventstore.ExpectedVersion, events []eventstore.EventData) (eventstore.AppendResult, bool, error) {
	first, seen := s.byID[events[0].ID]
	if !seen {
		// A new batch must not reuse any id further along either.
		for _, e := range events[1:] {
			if i, ok := s.byID[e.ID]; ok {
				return eventstore.AppendResult{}, false, duplicate(s.all[i])
			}
		}
		return eventstore.AppendResult{}, false, nil
	}

	for k, e := range events {
		i, ok := s.byID[e.ID]
		if !ok {
			return eventstore.AppendResult{}, false, fmt.Errorf("%w: event %s is new but event %s of the same batch is already in stream %q at version %d: a retry must repeat the first append exactly",
				eventstore.ErrDuplicateEventID, e.ID, events[0].ID, s.all[first].StreamID, s.all[first].Version)
		}
		got := s.all[i]
		if got.StreamID != stream || got.Version != s.all[first].Version+uint64(k) {
			return eventstore.AppendResult{}, false, duplicate(got)
		}
		if got.Type != e.Type || !sameJSON(got.Data, e.Data) {
			return eventstore.AppendResult{}, false, fmt.Errorf("%w: event %s is already in stream %q at version %d with a different type or data",
				eventstore.ErrDuplicateEventID, e.ID, got.StreamID, got.Version)
		}
	}

	start := s.all[first].Version
	if want, ok := expected.Version(); ok && want != start-1 {
		return eventstore.AppendResult{}, false, fmt.Errorf("%w: events %s… are already in stream %q from version %d, not after version %d as this append expects",
			eventstore.ErrDuplicateEventID, events[0].ID, stream, start, want)
	}
	last := s.all[s.byID[events[len(events)-1].ID]]
	return eventstore.AppendResult{Version: last.Version, Position: last.Position}, true, nil
}

func duplicate(holder eventstore.RecordedEvent) error {
	return fmt.Errorf("%w: event %s is already in stream %q at version %d",
		eventstore.ErrDuplicateEventID, holder.ID, holder.StreamID, holder.Version)
}

// validateJSON refuses what a jsonb column would: payloads that are not JSON. An empty
// payload is allowed and reads back empty.
func validateJSON(stream string, events []eventstore.EventData) error {
	for i, e := range events {
		if len(e.Data) > 0 && !json.Valid(e.Data) {
			return fmt.Errorf("%w: stream %q: event %d: data is not valid JSON", eventstore.ErrInvalidAppend, stream, i)
		}
		if len(e.Metadata) > 0 && !json.Valid(e.Metadata) {
			return fmt.Errorf("%w: stream %q: event %d: metadata is not valid JSON", eventstore.ErrInvalidAppend, stream, i)
		}
	}
	return nil
}

// sameJSON compares payloads as JSON values, so a retry is recognised even if the caller
// re-encoded its data with different spacing or key order.
func sameJSON(a, b json.RawMessage) bool {
	if bytes.Equal(a, b) {
		return true
	}
	ca, errA := canonical(a)
	cb, errB := canonical(b)
	return errA == nil && errB == nil && bytes.Equal(ca, cb)
}

// canonical re-encodes a JSON value with sorted keys and no spacing, keeping numbers
// as written so large integers are not rounded into each other.
func canonical(raw json.RawMessage) ([]byte, error) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}
