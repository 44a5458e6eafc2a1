package eventstoretest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/google/uuid"

	"ledgerdesk/eventstore"
)

var concurrencyCases = []testCase{
	{"OneOfManyNoStreamAppendsWins", testOneNoStreamWins},
	{"ExactlyOneWriterWinsEachVersion", testOneWriterWinsEachVersion},
}

// testOneNoStreamWins starts many appends that all believe the stream is new at once:
// a store must let exactly one through and report the others as conflicts (a unique
// violation leaking out as some other error would send a command layer's retry astray).
func testOneNoStreamWins(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore)
	stream := f.stream("race")
	const writers = 16
	evs := newEvents(1, writers)
	errs := make([]error, writers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			<-start
			_, errs[w] = f.store.Append(f.ctx, stream, eventstore.NoStream(), evs[w])
		})
	}
	close(start)
	wg.Wait()

	winner := -1
	for w, err := range errs {
		switch {
		case err == nil && winner >= 0:
			t.Errorf("writers %d and %d both created %q", winner, w, stream)
		case err == nil:
			winner = w
		default:
			var ce *eventstore.ConflictError
			if !errors.As(err, &ce) || !errors.Is(err, eventstore.ErrConflict) {
				t.Errorf("writer %d: error %v, want a *eventstore.ConflictError", w, err)
			} else if ce.Stream != stream || ce.Expected != eventstore.NoStream() || ce.Actual < 1 {
				t.Errorf("writer %d: conflict {Stream %q, Expected %s, Actual %d}, want stream %q, no stream, actual at least 1",
					w, ce.Stream, ce.Expected, ce.Actual, stream)
			}
		}
	}
	if winner < 0 {
		t.Fatalf("no writer created %q", stream)
	}
	f.assertStream(stream, evs[winner:winner+1])
}

// testOneWriterWinsEachVersion runs writers that each read to the end of one stream,
// append at the version they read and, on a conflict, read again: what the command layer
// does. Every version must go to exactly one writer and every event must land once.
func testOneWriterWinsEachVersion(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore)
	stream := f.stream("contended")
	const writers, perWriter = 16, 20
	// maxAttempts bounds one event's retries, so a store that never lets a retry
	// through fails instead of spinning until the deadline.
	const maxAttempts = 50 * writers

	type win struct {
		version uint64
		id      uuid.UUID
	}
	wins := make(chan win, writers*perWriter)
	failures := make(chan error, writers)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			var known uint64 // the version this writer has read up to
			for i := range perWriter {
				ev := newEvent(w*1000 + i)
				res, err := appendWithRetry(f, stream, &known, ev, maxAttempts)
				if err != nil {
					failures <- fmt.Errorf("writer %d, event %d: %w", w, i, err)
					return
				}
				wins <- win{res.Version, ev.ID}
				known = res.Version
			}
		})
	}
	wg.Wait()
	close(wins)
	close(failures)
	for err := range failures {
		t.Error(err)
	}

	byVersion := make(map[uint64]uuid.UUID)
	for w := range wins {
		if other, dup := byVersion[w.version]; dup {
			t.Errorf("version %d was reported won by both event %s and event %s", w.version, other, w.id)
		}
		byVersion[w.version] = w.id
	}
	got := f.readStream(stream)
	if len(got) != writers*perWriter {
		t.Fatalf("stream %q has %d events after %d successful appends, want %d", stream, len(got), len(byVersion), writers*perWriter)
	}
	seen := make(map[uuid.UUID]bool)
	for i, e := range got {
		if e.Version != uint64(i)+1 {
			t.Errorf("event %d of the stream has version %d: versions are not contiguous", i+1, e.Version)
		}
		if seen[e.ID] {
			t.Errorf("event %s is in the stream twice", e.ID)
		}
		seen[e.ID] = true
		if id, ok := byVersion[e.Version]; !ok || id != e.ID {
			t.Errorf("version %d holds event %s, but the append that won it was for %s", e.Version, e.ID, id)
		}
	}
}

// appendWithRetry is the command layer's loop: catch up on the stream, append at the
// version read, and on a conflict catch up again.
func appendWithRetry(f *fixture, stream string, known *uint64, ev eventstore.EventData, maxAttempts int) (eventstore.AppendResult, error) {
	for range maxAttempts {
		for {
			page, err := f.store.ReadStream(f.ctx, stream, *known+1, 1000)
			if err != nil {
				return eventstore.AppendResult{}, fmt.Errorf("read from version %d: %w", *known+1, err)
			}
			if len(page) == 0 {
				break
			}
			if page[0].Version != *known+1 {
				return eventstore.AppendResult{}, fmt.Errorf("read from version %d began at version %d", *known+1, page[0].Version)
			}
			*known = page[len(page)-1].Version
		}
		res, err := f.store.Append(f.ctx, stream, eventstore.Exactly(*known), ev)
		if err == nil {
			return res, nil
		}
		if !errors.Is(err, eventstore.ErrConflict) {
			return eventstore.AppendResult{}, fmt.Errorf("append at version %d: %w", *known, err)
		}
	}
	return eventstore.AppendResult{}, fmt.Errorf("still conflicting after %d attempts", maxAttempts)
}
