package esdb

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	esdbc "github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"

	"ledgerdesk/eventstore"
)

// The event-id guard.
//
// The port says an event id belongs to one event in the whole store; ESDB only knows ids
// per stream. So before an append, each event id is claimed by writing one small record,
// naming the stream, to the guard stream "ledgerdesk_eventid-<id>" with "no stream" as the
// expectation. ESDB serialises writes to one stream, so exactly one claim wins:
//   - our record was written: the id is new anywhere, this cannot be a retry;
//   - a record exists and names our stream: the id was claimed here before, so the
//     append may be a retry (or the claim outlived an append that failed), and the
//     stream is read to tell which;
//   - a record names another stream: ErrDuplicateEventID.
//
// A claim is not undone when the append then fails: the id stays bound to the stream it
// was meant for, which only matters if someone reuses an id elsewhere, and that is
// refused anyway. The claim's own ESDB event id is random so that ESDB's idempotency can
// never mistake one claim for another.

// guardRecord is the data of a claim.
type guardRecord struct {
	Stream string `json:"stream"`
}

// claimParallelism bounds the claims of one append in flight at once.
const claimParallelism = 8

// claimIDs claims every event id of an append for stream. seen reports that at least one
// id was already claimed for this same stream.
func (s *Store) claimIDs(ctx context.Context, stream string, events []eventstore.EventData) (seen bool, err error) {
	if len(events) == 1 {
		return s.claimID(ctx, stream, events[0].ID)
	}
	var (
		mu       sync.Mutex
		wg       sync.WaitGroup
		firstErr error
		sem      = make(chan struct{}, claimParallelism)
	)
	for _, e := range events {
		wg.Add(1)
		sem <- struct{}{}
		go func(id uuid.UUID) {
			defer wg.Done()
			defer func() { <-sem }()
			was, err := s.claimID(ctx, stream, id)
			mu.Lock()
			defer mu.Unlock()
			seen = seen || was
			// A duplicate id says more to the caller than a failed claim elsewhere.
			if err != nil && (firstErr == nil || errors.Is(err, eventstore.ErrDuplicateEventID) && !errors.Is(firstErr, eventstore.ErrDuplicateEventID)) {
				firstErr = err
			}
		}(e.ID)
	}
	wg.Wait()
	return seen, firstErr
}

func (s *Store) claimID(ctx context.Context, stream string, id uuid.UUID) (seen bool, err error) {
	data, err := json.Marshal(guardRecord{Stream: stream})
	if err != nil {
		return false, err
	}
	_, err = s.appendRaw(ctx, guardStream(id), esdbc.NoStream{}, []esdbc.EventData{{
		EventID:     uuid.New(),
		EventType:   guardEventType,
		ContentType: esdbc.ContentTypeJson,
		Data:        data,
	}})
	if err == nil {
		return false, nil
	}
	if _, taken := wrongExpectedVersion(err); !taken {
		return false, fmt.Errorf("esdb: claim event id %s for stream %q: %w", id, stream, err)
	}
	owner, err := s.guardOwner(ctx, id)
	if err != nil {
		return false, fmt.Errorf("esdb: read the claim on event id %s: %w", id, err)
	}
	if owner != stream {
		return false, fmt.Errorf("%w: event id %s is already used in stream %q, so it cannot go to stream %q",
			eventstore.ErrDuplicateEventID, id, owner, stream)
	}
	return true, nil
}

// guardOwner is the stream named by the first (winning) claim on id.
func (s *Store) guardOwner(ctx context.Context, id uuid.UUID) (string, error) {
	var (
		owner  string
		decErr error
		found  bool
	)
	err := s.scanStream(ctx, guardStream(id), esdbc.Start{}, esdbc.Forwards, 1, func(r *esdbc.RecordedEvent) bool {
		found = true
		owner, decErr = decodeGuard(r.Data)
		return false
	})
	switch {
	case err != nil:
		return "", err
	case !found:
		return "", fmt.Errorf("the guard stream %q has no claim", guardStream(id))
	}
	return owner, decErr
}

func decodeGuard(data []byte) (string, error) {
	var g guardRecord
	if err := json.Unmarshal(data, &g); err != nil {
		return "", fmt.Errorf("unreadable claim: %w", err)
	}
	if g.Stream == "" {
		return "", fmt.Errorf("claim names no stream")
	}
	return g.Stream, nil
}
