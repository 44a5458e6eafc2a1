package eventstoretest

import (
	"sync"
	"testing"

	"github.com/google/uuid"

	"ledgerdesk/eventstore"
)

var readAllCases = []testCase{
	{"PositionsStrictlyIncreaseAndAppendsStayTogether", testReadAllOrder},
	{"FromAPositionReturnsOnlyLaterEvents", testReadAllFrom},
	{"PagingReachesEveryEventExactlyOnce", testReadAllPaging},
	{"ATailingReaderMissesNothingAppendedConcurrently", testTailingReaderMissesNothing},
}

func testReadAllOrder(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore)
	a, b := f.stream("a"), f.stream("b")
	batches := []struct {
		stream string
		evs    []eventstore.EventData
	}{
		{a, newEvents(1, 3)},
		{b, newEvents(4, 1)},
		{a, newEvents(5, 4)},
		{b, newEvents(9, 2)},
	}
	var want []eventstore.EventData
	for _, bt := range batches {
		f.mustAppend(bt.stream, eventstore.Any(), bt.evs...)
		want = append(want, bt.evs...)
	}

	all, ours := f.tail(eventstore.Start, 100, len(want))

	if len(ours) != len(want) {
		t.Fatalf("read all found %d of this test's events, want %d", len(ours), len(want))
	}
	versions := map[string]uint64{}
	for i, e := range ours {
		versions[e.StreamID]++
		assertRecorded(t, e, want[i], e.StreamID, versions[e.StreamID])
	}
	// An append's events sit side by side in the global order, with no other event
	// between them, even in a store shared with other writers.
	index := make(map[uuid.UUID]int, len(all))
	for i, e := range all {
		index[e.ID] = i
	}
	for _, bt := range batches {
		first := index[bt.evs[0].ID]
		for k, e := range bt.evs {
			if index[e.ID] != first+k {
				t.Errorf("event %d of an append to %q is at index %d of the global order, want %d: the append's events are not together",
					k, bt.stream, index[e.ID], first+k)
			}
		}
	}
}

func testReadAllFrom(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore)
	early, late := newEvents(1, 3), newEvents(4, 2)
	res := f.mustAppend(f.stream("a"), eventstore.NoStream(), early...)
	f.mustAppend(f.stream("b"), eventstore.NoStream(), late...)

	_, ours := f.tail(res.Position, 100, len(late))

	for i, e := range ours {
		if !res.Position.Before(e.Position) {
			t.Errorf("read all after %s returned an event at %s", res.Position, e.Position)
		}
		if e.ID != late[i].ID {
			t.Errorf("read all after the first append: event %d is %s, want %s", i, e.ID, late[i].ID)
		}
	}
	if ours[len(ours)-1].Position.Compare(f.readStream(f.stream("b"))[1].Position) != 0 {
		t.Errorf("read all and read stream disagree on the position of the last event")
	}
	f.expectNoMore(ours[len(ours)-1].Position)
}

func testReadAllPaging(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore)
	var want []eventstore.EventData
	for i := range 7 {
		evs := newEvents(i*10, 1+i%3)
		f.mustAppend(f.stream("s"+string(rune('a'+i%3))), eventstore.Any(), evs...)
		want = append(want, evs...)
	}

	for _, limit := range []int{1, 2, 5, 1000} {
		_, ours := f.tail(eventstore.Start, limit, len(want))
		if got := ids(ours); !equalIDs(got, dataIDs(want)) {
			t.Errorf("read all in pages of %d: events %v, want %v", limit, got, dataIDs(want))
		}
	}
	f.readAllOurs(len(want))
}

// testTailingReaderMissesNothingAppendedConcurrently reads the global order while writers
// append: a store whose positions can be handed out in one order and committed in another
// lets the reader pass a gap that fills later, and the event there is never seen.
func testTailingReaderMissesNothing(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore)
	const writers, perWriter = 8, 40
	stop := make(chan struct{})
	defer close(stop)
	want := writeConcurrently(f, writers, perWriter, stop)

	_, ours := f.tail(eventstore.Start, 7, len(want))

	assertExactlyOnce(t, ours, want)
}

// writeConcurrently has writers append perWriter single-event appends each to streams of
// their own, in the background, and returns the ids that will have been appended. Errors
// are reported when the writers finish.
func writeConcurrently(f *fixture, writers, perWriter int, stop <-chan struct{}) map[uuid.UUID]bool {
	want := make(map[uuid.UUID]bool, writers*perWriter)
	plan := make([][]eventstore.EventData, writers)
	for w := range plan {
		plan[w] = newEvents(w*1000, perWriter)
		for _, e := range plan[w] {
			want[e.ID] = true
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		stream := f.stream("w" + string(rune('a'+w)))
		wg.Go(func() {
			for i, e := range plan[w] {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := f.store.Append(f.ctx, stream, eventstore.Exactly(uint64(i)), e); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	f.t.Cleanup(func() {
		wg.Wait()
		close(errs)
		for err := range errs {
			f.t.Errorf("concurrent writer: %v", err)
		}
	})
	return want
}

// assertExactlyOnce checks a reader saw each wanted id once, in the order of each stream.
func assertExactlyOnce(t *testing.T, got []eventstore.RecordedEvent, want map[uuid.UUID]bool) {
	t.Helper()
	seen := make(map[uuid.UUID]bool, len(got))
	lastVersion := map[string]uint64{}
	for _, e := range got {
		if seen[e.ID] {
			t.Errorf("event %s of %q version %d delivered twice", e.ID, e.StreamID, e.Version)
		}
		seen[e.ID] = true
		if !want[e.ID] {
			t.Errorf("event %s of %q was never appended by this test", e.ID, e.StreamID)
		}
		if e.Version != lastVersion[e.StreamID]+1 {
			t.Errorf("%q: version %d delivered after version %d", e.StreamID, e.Version, lastVersion[e.StreamID])
		}
		lastVersion[e.StreamID] = e.Version
	}
	missing := 0
	for id := range want {
		if !seen[id] {
			missing++
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d events never delivered", missing, len(want))
	}
}

func equalIDs(a, b []uuid.UUID) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
