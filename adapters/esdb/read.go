package esdb

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"

	esdbc "github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"ledgerdesk/eventstore"
)

// ReadStream returns up to limit events of stream with version >= from (limit <= 0: all
// of them). A stream that does not exist, or was deleted, reads as empty.
func (s *Store) ReadStream(ctx context.Context, stream string, from uint64, limit int) ([]eventstore.RecordedEvent, error) {
	if err := validateReadStream(stream); err != nil {
		return nil, err
	}
	var out []eventstore.RecordedEvent
	err := s.scanStream(ctx, stream, readFrom(from), esdbc.Forwards, count(limit), func(r *esdbc.RecordedEvent) bool {
		if deliverable(r) {
			out = append(out, fromRecorded(r))
		}
		return limit <= 0 || len(out) < limit
	})
	if err != nil {
		return nil, fmt.Errorf("esdb: read stream %q from version %d: %w", stream, from, err)
	}
	return out, nil
}

// ReadAll returns up to limit domain events strictly after from, in $all order (limit <=
// 0: all of them). ESDB's own events and the adapter's guard records are skipped, so a
// page may have to look at more of $all than it returns.
func (s *Store) ReadAll(ctx context.Context, from eventstore.Position, limit int) ([]eventstore.RecordedEvent, error) {
	var out []eventstore.RecordedEvent
	rs, err := s.client.ReadAll(ctx, esdbc.ReadAllOptions{Direction: esdbc.Forwards, From: allFrom(from)}, math.MaxUint64)
	if err != nil {
		return nil, fmt.Errorf("esdb: read $all after %s: %w", from, err)
	}
	defer rs.Close()
	for limit <= 0 || len(out) < limit {
		ev, err := rs.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("esdb: read $all after %s: %w", from, err)
		}
		r := ev.Event
		// ESDB starts a read of $all at `from` itself; the port's reads are exclusive.
		if r == nil || !from.Before(position(r.Position)) || !deliverable(r) {
			continue
		}
		out = append(out, fromRecorded(r))
	}
	return out, nil
}

// scanStream calls fn with each event of stream from `from` in direction dir until fn
// returns false, n events were seen or the stream ends. A missing or deleted stream is
// simply empty. A read that reached a follower is repeated once the client has moved to
// the leader, as long as fn has seen nothing yet.
func (s *Store) scanStream(ctx context.Context, stream string, from esdbc.StreamPosition, dir esdbc.Direction, n uint64,
	fn func(*esdbc.RecordedEvent) bool) error {
	const attempts = 3
	var err error
	for range attempts {
		var seen bool
		seen, err = s.scanOnce(ctx, stream, from, dir, n, fn)
		if err == nil || seen || !isCode(err, esdbc.ErrorCodeNotLeader) || ctx.Err() != nil {
			return err
		}
	}
	return err
}

func (s *Store) scanOnce(ctx context.Context, stream string, from esdbc.StreamPosition, dir esdbc.Direction, n uint64,
	fn func(*esdbc.RecordedEvent) bool) (seen bool, err error) {
	rs, err := s.client.ReadStream(ctx, stream, esdbc.ReadStreamOptions{Direction: dir, From: from, RequiresLeader: true}, n)
	if err != nil {
		return false, err
	}
	defer rs.Close()
	for {
		ev, err := rs.Recv()
		switch {
		case errors.Is(err, io.EOF):
			return seen, nil
		case isCode(err, esdbc.ErrorCodeResourceNotFound), isCode(err, esdbc.ErrorCodeStreamDeleted):
			return seen, nil
		case err != nil:
			return seen, err
		}
		if ev.Event == nil {
			continue
		}
		seen = true
		if !fn(ev.Event) {
			return seen, nil
		}
	}
}

// streamVersion is the number of events in stream, read from its last event; it is how a
// conflict learns the stream's actual version when ESDB's answer does not say.
func (s *Store) streamVersion(ctx context.Context, stream string) (uint64, error) {
	var v uint64
	err := s.scanStream(ctx, stream, esdbc.End{}, esdbc.Backwards, 1, func(r *esdbc.RecordedEvent) bool {
		v = r.EventNumber + 1
		return false
	})
	return v, err
}

// count is ESDB's read count for our limit; ESDB has no "unlimited", only a large count.
func count(limit int) uint64 {
	if limit <= 0 {
		return math.MaxUint64
	}
	return uint64(limit)
}
