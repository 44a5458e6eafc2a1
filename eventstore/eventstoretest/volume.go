package eventstoretest

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	"ledgerdesk/eventstore"
)

var volumeCases = []testCase{
	{"AOneMebibyteEventRoundTrips", testLargeEvent},
	{"ManyStreamsAppendedConcurrentlyAreAllReadableOnce", testManyStreams},
}

// largePayload is the size of the data the suite requires a store to take in one event.
const largePayload = 1 << 20

func testLargeEvent(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore)
	stream := f.stream("large")
	ev := newEvent(1)
	ev.Data = json.RawMessage(`{"blob": "` + strings.Repeat("ledgerdesk", largePayload/10+1)[:largePayload] + `"}`)
	small := newEvent(2)

	f.mustAppend(stream, eventstore.NoStream(), ev, small)

	f.assertStream(stream, []eventstore.EventData{ev, small})
	ours := f.readAllOurs(2)
	assertRecorded(t, ours[0], ev, stream, 1)
}

func testManyStreams(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore)
	const streams, perStream, workers = 500, 3, 16
	plan := make([][]eventstore.EventData, streams)
	want := make(map[uuid.UUID]bool, streams*perStream)
	for s := range plan {
		plan[s] = newEvents(s*10, perStream)
		for _, e := range plan[s] {
			want[e.ID] = true
		}
	}
	name := func(s int) string { return f.stream(fmt.Sprintf("n%d", s)) }

	// Each worker takes streams in turn and appends their events one at a time, so
	// appends to different streams interleave.
	work := make(chan int)
	errs := make(chan error, streams)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for s := range work {
				for v, e := range plan[s] {
					if _, err := f.store.Append(f.ctx, name(s), eventstore.Exactly(uint64(v)), e); err != nil {
						// Keep taking work so the feeder never blocks on a dead pool.
						errs <- fmt.Errorf("stream %d, event %d: %w", s, v+1, err)
						break
					}
				}
			}
		})
	}
	for s := range streams {
		work <- s
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	readErrs := make(chan error, streams)
	for s := range streams {
		wg.Go(func() {
			got, err := f.store.ReadStream(f.ctx, name(s), 1, 10)
			if err != nil {
				readErrs <- err
				return
			}
			if len(got) != perStream || got[0].ID != plan[s][0].ID || got[perStream-1].ID != plan[s][perStream-1].ID {
				readErrs <- fmt.Errorf("stream %q read back %d events, not the %d appended", name(s), len(got), perStream)
			}
		})
	}
	wg.Wait()
	close(readErrs)
	for err := range readErrs {
		t.Error(err)
	}

	_, ours := f.tail(eventstore.Start, 250, len(want))
	assertExactlyOnce(t, ours, want)
}
