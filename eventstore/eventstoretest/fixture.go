package eventstoretest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/uuid"

	"ledgerdesk/eventstore"
)

// Limits that keep a broken adapter from hanging the suite.
const (
	// subTestTimeout bounds every call a sub-test makes to the store.
	subTestTimeout = 30 * time.Second
	// waitTimeout bounds one wait for events that should already be readable.
	waitTimeout = 5 * time.Second
	// quiet is how long a subscription must stay silent to show it delivered no extra event.
	quiet = 100 * time.Millisecond
	// pollEvery is the pause between reads while waiting for a tailing read to catch up.
	pollEvery = 5 * time.Millisecond
)

const eventType = "conftest.happened.v1"

// fixture is one sub-test's store, deadline and stream names.
type fixture struct {
	t        *testing.T
	store    eventstore.Store
	ctx      context.Context
	category string
}

func newFixture(t *testing.T, newStore NewStore) *fixture {
	t.Helper()
	store := newStore(t)
	if store == nil {
		t.Fatal("newStore returned nil")
	}
	ctx, cancel := context.WithTimeout(t.Context(), subTestTimeout)
	t.Cleanup(cancel)
	// A category of its own per sub-test: stream names never collide with another
	// sub-test's, even in a shared store, and "category-id" stays the shape.
	return &fixture{t: t, store: store, ctx: ctx, category: fmt.Sprintf("conf%016x", rand.Uint64())}
}

// stream is a stream name of this sub-test.
func (f *fixture) stream(id string) string { return f.category + "-" + id }

// ours reports whether an event belongs to one of this sub-test's streams.
func (f *fixture) ours(e eventstore.RecordedEvent) bool {
	return eventstore.Category(e.StreamID) == f.category
}

// newEvent is an event with a fresh id. Its data has spacing and key order a store may
// normalise, so the suite compares payloads as JSON values.
func newEvent(n int) eventstore.EventData {
	return eventstore.EventData{
		ID:       uuid.Must(uuid.NewV7()),
		Type:     eventType,
		Data:     json.RawMessage(fmt.Sprintf(`{"n": %d, "text": "event %d", "nested": {"z": [1, 2, 3], "a": true}}`, n, n)),
		Metadata: json.RawMessage(fmt.Sprintf(`{"correlation_id": %q, "actor": "conformance"}`, uuid.NewString())),
	}
}

// newEvents is n events numbered from first.
func newEvents(first, n int) []eventstore.EventData {
	evs := make([]eventstore.EventData, n)
	for i := range evs {
		evs[i] = newEvent(first + i)
	}
	return evs
}

func (f *fixture) mustAppend(stream string, expected eventstore.ExpectedVersion, evs ...eventstore.EventData) eventstore.AppendResult {
	f.t.Helper()
	res, err := f.store.Append(f.ctx, stream, expected, evs...)
	if err != nil {
		f.t.Fatalf("append %d events to %q expecting %s: %v", len(evs), stream, expected, err)
	}
	return res
}

// readStream reads a whole stream, in pages so large streams need no special limit.
func (f *fixture) readStream(stream string) []eventstore.RecordedEvent {
	f.t.Helper()
	var out []eventstore.RecordedEvent
	for {
		page, err := f.store.ReadStream(f.ctx, stream, uint64(len(out))+1, 100)
		if err != nil {
			f.t.Fatalf("read stream %q from version %d: %v", stream, len(out)+1, err)
		}
		out = append(out, page...)
		if len(page) < 100 {
			return out
		}
	}
}

// readPage reads the page of the global order after last and checks what every reader
// of it relies on: no page longer than asked, and positions strictly after last and
// increasing. A store breaking either fails here at once rather than looping until the
// deadline.
func (f *fixture) readPage(last eventstore.Position, limit int) []eventstore.RecordedEvent {
	f.t.Helper()
	page, err := f.store.ReadAll(f.ctx, last, limit)
	if err != nil {
		f.t.Fatalf("read all after %s: %v", last, err)
	}
	if len(page) > limit {
		f.t.Fatalf("read all after %s with limit %d returned %d events", last, limit, len(page))
	}
	for _, e := range page {
		if !last.Before(e.Position) {
			f.t.Fatalf("read all: event %s of %q at position %s does not sort after %s", e.ID, e.StreamID, e.Position, last)
		}
		last = e.Position
	}
	return page
}

// tail pages through ReadAll from from until this sub-test's events number want, or
// fails at the deadline. It returns every event read (other tests' too, in a shared
// store) and this sub-test's events.
func (f *fixture) tail(from eventstore.Position, limit, want int) (all, ours []eventstore.RecordedEvent) {
	f.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	last := from
	for len(ours) < want {
		page := f.readPage(last, limit)
		for _, e := range page {
			last = e.Position
			all = append(all, e)
			if f.ours(e) {
				ours = append(ours, e)
			}
		}
		if len(page) == 0 {
			if time.Now().After(deadline) {
				f.t.Fatalf("read all: after %s found %d of this test's %d events; the rest never became readable", waitTimeout, len(ours), want)
			}
			time.Sleep(pollEvery)
		}
	}
	return all, ours
}

// readAllOurs is every event of this sub-test in global order, with a check that nothing
// more than want turns up.
func (f *fixture) readAllOurs(want int) []eventstore.RecordedEvent {
	f.t.Helper()
	all, ours := f.tail(eventstore.Start, 100, want)
	last := eventstore.Start
	if len(all) > 0 {
		last = all[len(all)-1].Position
	}
	f.expectNoMore(last)
	return ours
}

// expectNoMore fails if ReadAll after last returns any event of this sub-test.
func (f *fixture) expectNoMore(last eventstore.Position) {
	f.t.Helper()
	for {
		page := f.readPage(last, 100)
		for _, e := range page {
			if f.ours(e) {
				f.t.Fatalf("read all: unexpected extra event %s of %q version %d at %s", e.ID, e.StreamID, e.Version, e.Position)
			}
			last = e.Position
		}
		if len(page) == 0 {
			return
		}
	}
}

// assertRecorded checks that got is want stored as version of stream.
func assertRecorded(t *testing.T, got eventstore.RecordedEvent, want eventstore.EventData, stream string, version uint64) {
	t.Helper()
	if got.ID != want.ID {
		t.Errorf("%q version %d: id %s, want %s", stream, version, got.ID, want.ID)
	}
	if got.StreamID != stream {
		t.Errorf("event %s: stream %q, want %q", want.ID, got.StreamID, stream)
	}
	if got.Version != version {
		t.Errorf("event %s: version %d, want %d", want.ID, got.Version, version)
	}
	if got.Type != want.Type {
		t.Errorf("event %s: type %q, want %q", want.ID, got.Type, want.Type)
	}
	if !sameJSON(got.Data, want.Data) {
		t.Errorf("event %s: data %s, want %s", want.ID, abbreviate(got.Data), abbreviate(want.Data))
	}
	if !sameJSON(got.Metadata, want.Metadata) {
		t.Errorf("event %s: metadata %s, want %s", want.ID, abbreviate(got.Metadata), abbreviate(want.Metadata))
	}
	if want.RecordedAt.IsZero() {
		if d := time.Since(got.RecordedAt).Abs(); got.RecordedAt.IsZero() || d > 10*time.Minute {
			t.Errorf("event %s: recorded at %v, want the time of the append", want.ID, got.RecordedAt)
		}
	} else if d := got.RecordedAt.Sub(want.RecordedAt).Abs(); d > time.Microsecond {
		t.Errorf("event %s: recorded at %v, want the given %v (within a microsecond)", want.ID, got.RecordedAt, want.RecordedAt)
	}
}

// assertStream checks that stream holds exactly want, as versions 1..len(want).
func (f *fixture) assertStream(stream string, want []eventstore.EventData) []eventstore.RecordedEvent {
	f.t.Helper()
	got := f.readStream(stream)
	if len(got) != len(want) {
		f.t.Fatalf("stream %q has %d events, want %d", stream, len(got), len(want))
	}
	for i := range got {
		assertRecorded(f.t, got[i], want[i], stream, uint64(i)+1)
	}
	return got
}

// assertAbsent fails if any of evs can be found in the global order.
func (f *fixture) assertAbsent(evs ...eventstore.EventData) {
	f.t.Helper()
	ids := make(map[uuid.UUID]bool, len(evs))
	for _, e := range evs {
		ids[e.ID] = true
	}
	last := eventstore.Start
	for {
		page := f.readPage(last, 500)
		for _, e := range page {
			if ids[e.ID] {
				f.t.Errorf("event %s was stored (in %q at version %d) though its append failed", e.ID, e.StreamID, e.Version)
			}
			last = e.Position
		}
		if len(page) == 0 {
			return
		}
	}
}

// assertConflict checks err is the conflict the port describes.
func assertConflict(t *testing.T, err error, stream string, expected eventstore.ExpectedVersion, actual uint64) {
	t.Helper()
	if !errors.Is(err, eventstore.ErrConflict) {
		t.Fatalf("append to %q expecting %s: error %v, want eventstore.ErrConflict", stream, expected, err)
	}
	var ce *eventstore.ConflictError
	if !errors.As(err, &ce) {
		t.Fatalf("append to %q: error %v (%T) matches ErrConflict but is not a *eventstore.ConflictError", stream, err, err)
	}
	if ce.Stream != stream || ce.Expected != expected || ce.Actual != actual {
		t.Errorf("conflict = {Stream %q, Expected %s, Actual %d}, want {Stream %q, Expected %s, Actual %d}",
			ce.Stream, ce.Expected, ce.Actual, stream, expected, actual)
	}
}

func abbreviate(b []byte) string {
	if len(b) > 200 {
		return fmt.Sprintf("%s… (%d bytes)", b[:200], len(b))
	}
	return string(b)
}

func ids(evs []eventstore.RecordedEvent) []uuid.UUID {
	out := make([]uuid.UUID, len(evs))
	for i, e := range evs {
		out[i] = e.ID
	}
	return out
}

func dataIDs(evs []eventstore.EventData) []uuid.UUID {
	out := make([]uuid.UUID, len(evs))
	for i, e := range evs {
		out[i] = e.ID
	}
	return out
}
