package esdb

import (
	"context"
	"fmt"
	"math"

	esdbc "github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"

	"ledgerdesk/eventstore"
)

// Append writes events to the end of stream if its version matches expected, all or none.
//
// The steps, and why each is there:
//  1. validate before touching the server (the port's rules, plus JSON and reserved names);
//  2. claim every event id in its guard stream (guard.go): refuses an id used in another
//     stream and tells whether this could be a retry;
//  3. if it could, look for the events in the stream: found where they belong with the
//     same content means a retry, answered with the first append's result;
//  4. append with ESDB's expected revision; its wrong-expected-version answer becomes
//     *eventstore.ConflictError;
//  5. read the appended events back: their stored positions are the result, identical
//     for the first append and any retry, and an append ESDB treated as idempotent is
//     checked for the same content.
func (s *Store) Append(ctx context.Context, stream string, expected eventstore.ExpectedVersion, events ...eventstore.EventData) (eventstore.AppendResult, error) {
	if err := validateAppend(stream, events); err != nil {
		return eventstore.AppendResult{}, err
	}
	proposed := make([]esdbc.EventData, len(events))
	for i, e := range events {
		ed, err := toEventData(e)
		if err != nil {
			return eventstore.AppendResult{}, fmt.Errorf("%w: stream %q: event %d (%s): %v", eventstore.ErrInvalidAppend, stream, i, e.Type, err)
		}
		proposed[i] = ed
	}

	seen := false
	if !s.cfg.WithoutEventIDGuard {
		var err error
		if seen, err = s.claimIDs(ctx, stream, events); err != nil {
			return eventstore.AppendResult{}, err
		}
	}
	if seen {
		if res, found, err := s.findRetry(ctx, stream, expected, events); err != nil || found {
			return res, err
		}
	}

	wr, err := s.appendRaw(ctx, stream, expectedRevision(expected), proposed)
	if err != nil {
		detail, wrong := wrongExpectedVersion(err)
		if !wrong {
			return eventstore.AppendResult{}, fmt.Errorf("esdb: append to %q: %w", stream, err)
		}
		// With an expected version, ESDB itself recognises a retry that landed where it
		// belonged (and answers success), so this is a conflict. With Any it may mean that
		// part of the batch is already in the stream: tell that apart from a conflict.
		if expected.IsAny() {
			if res, found, err := s.findRetry(ctx, stream, expected, events); err != nil || found {
				return res, err
			}
		}
		return eventstore.AppendResult{}, conflictError(ctx, stream, expected, detail, s.streamVersion)
	}
	return s.readBack(ctx, stream, events, wr.NextExpectedVersion)
}

// appendRaw appends, retrying while the client reports that it was talking to a follower:
// the client has then already switched to the leader, and nothing was written.
func (s *Store) appendRaw(ctx context.Context, stream string, expected esdbc.ExpectedRevision, events []esdbc.EventData) (*esdbc.WriteResult, error) {
	const attempts = 3
	var err error
	for range attempts {
		var wr *esdbc.WriteResult
		wr, err = s.client.AppendToStream(ctx, stream, esdbc.AppendToStreamOptions{ExpectedRevision: expected, RequiresLeader: true}, events...)
		if err == nil {
			return wr, nil
		}
		if !isCode(err, esdbc.ErrorCodeNotLeader) || ctx.Err() != nil {
			return nil, err
		}
	}
	return nil, err
}

// readBack reads the events just appended, which ESDB reports as ending at revision
// lastRev, and returns their result. If they are not there (ESDB recognised a retry it
// placed elsewhere), the whole stream is searched.
func (s *Store) readBack(ctx context.Context, stream string, events []eventstore.EventData, lastRev uint64) (eventstore.AppendResult, error) {
	n := uint64(len(events))
	if lastRev != math.MaxUint64 && lastRev+1 >= n {
		window, err := s.collect(ctx, stream, esdbc.Revision(lastRev+1-n), n, nil)
		if err != nil {
			return eventstore.AppendResult{}, fmt.Errorf("esdb: read back the append to %q: %w", stream, err)
		}
		if res, found, err := matchRetry(stream, eventstore.Any(), events, window); err != nil || found {
			return res, err
		}
	}
	res, found, err := s.findRetry(ctx, stream, eventstore.Any(), events)
	if err != nil || found {
		return res, err
	}
	return eventstore.AppendResult{}, fmt.Errorf("esdb: append to %q was acknowledged at revision %d but its events are not in the stream", stream, lastRev)
}

// findRetry looks for the append's event ids in the stream (see matchRetry). It runs only
// when an id was seen before, so a first append never pays for it.
//
// With an expected version, the retry can only be right after it, so that window is read
// first; if something else is there, the stream has moved past the expectation and the
// append will be refused as a conflict wherever else the ids may be. Otherwise (Any, or a
// stream not past the expectation) the whole stream is searched, because an id stored at
// another version must not be stored twice: aggregate streams are short.
func (s *Store) findRetry(ctx context.Context, stream string, expected eventstore.ExpectedVersion, events []eventstore.EventData) (eventstore.AppendResult, bool, error) {
	if v, ok := expected.Version(); ok {
		window, err := s.collect(ctx, stream, esdbc.Revision(v), uint64(len(events)), nil)
		if err != nil {
			return eventstore.AppendResult{}, false, fmt.Errorf("esdb: look for a retried append in %q: %w", stream, err)
		}
		if res, found, err := matchRetry(stream, expected, events, window); err != nil || found || len(window) > 0 {
			return res, found, err
		}
	}
	ids := make(map[uuid.UUID]bool, len(events))
	for _, e := range events {
		ids[e.ID] = true
	}
	existing, err := s.collect(ctx, stream, esdbc.Start{}, math.MaxUint64, ids)
	if err != nil {
		return eventstore.AppendResult{}, false, fmt.Errorf("esdb: look for a retried append in %q: %w", stream, err)
	}
	return matchRetry(stream, expected, events, existing)
}

// collect reads up to n events of stream from `from`, keeping only those whose id is in
// ids (all of them when ids is nil).
func (s *Store) collect(ctx context.Context, stream string, from esdbc.StreamPosition, n uint64, ids map[uuid.UUID]bool) ([]eventstore.RecordedEvent, error) {
	var out []eventstore.RecordedEvent
	err := s.scanStream(ctx, stream, from, esdbc.Forwards, n, func(r *esdbc.RecordedEvent) bool {
		if ids == nil || ids[r.EventID] {
			out = append(out, fromRecorded(r))
		}
		return true
	})
	return out, err
}
