package eventstoretest

import (
	"encoding/json"
	"errors"
	"testing"

	"ledgerdesk/eventstore"
)

var idempotencyCases = []testCase{
	{"ARetryReturnsTheFirstResultAndStoresNothing", testRetryReturnsFirstResult},
	{"ARetryAfterTheStreamMovedOnReturnsTheFirstResult", testRetryAfterStreamMovedOn},
	{"AnIDInAnotherStreamIsADuplicate", testIDInAnotherStream},
	{"AnIDReusedForDifferentContentIsRefused", testIDWithDifferentContent},
	{"ABatchRepeatingPartOfAnEarlierOneIsRefused", testPartialOverlap},
}

func testRetryReturnsFirstResult(t *testing.T, newStore NewStore) {
	cases := []struct {
		name     string
		before   int // events already in the stream
		expected func(before int) eventstore.ExpectedVersion
		retry    func(before int) eventstore.ExpectedVersion
	}{
		{"NoStream", 0, func(int) eventstore.ExpectedVersion { return eventstore.NoStream() }, func(int) eventstore.ExpectedVersion { return eventstore.NoStream() }},
		{"Exactly", 2, func(b int) eventstore.ExpectedVersion { return eventstore.Exactly(uint64(b)) }, func(b int) eventstore.ExpectedVersion { return eventstore.Exactly(uint64(b)) }},
		{"Any", 2, func(int) eventstore.ExpectedVersion { return eventstore.Any() }, func(int) eventstore.ExpectedVersion { return eventstore.Any() }},
		{"ExactlyThenAny", 2, func(b int) eventstore.ExpectedVersion { return eventstore.Exactly(uint64(b)) }, func(int) eventstore.ExpectedVersion { return eventstore.Any() }},
		{"NoStreamThenAny", 0, func(int) eventstore.ExpectedVersion { return eventstore.NoStream() }, func(int) eventstore.ExpectedVersion { return eventstore.Any() }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, newStore)
			stream := f.stream("retry")
			before := newEvents(1, c.before)
			if c.before > 0 {
				f.mustAppend(stream, eventstore.NoStream(), before...)
			}
			batch := newEvents(10, 3)
			first := f.mustAppend(stream, c.expected(c.before), batch...)

			again, err := f.store.Append(f.ctx, stream, c.retry(c.before), batch...)

			if err != nil {
				t.Fatalf("retry of the same append: %v, want the first result", err)
			}
			if again != first {
				t.Errorf("retry returned {version %d, position %s}, the first append returned {version %d, position %s}",
					again.Version, again.Position, first.Version, first.Position)
			}
			f.assertStream(stream, append(before, batch...))
			f.readAllOurs(c.before + len(batch))
		})
	}
}

// testRetryAfterStreamMovedOn is the command layer's timeout case: its append landed but
// the answer was lost, someone else appended since, and the retry must still be
// recognised rather than reported as a conflict or stored twice.
func testRetryAfterStreamMovedOn(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore)
	stream := f.stream("moved")
	batch := newEvents(1, 2)
	first := f.mustAppend(stream, eventstore.NoStream(), batch...)
	later := newEvents(3, 2)
	f.mustAppend(stream, eventstore.Exactly(2), later...)

	again, err := f.store.Append(f.ctx, stream, eventstore.NoStream(), batch...)

	if err != nil {
		t.Fatalf("retry after the stream moved on: %v, want the first result", err)
	}
	if again != first {
		t.Errorf("retry returned {version %d, position %s}, the first append returned {version %d, position %s}",
			again.Version, again.Position, first.Version, first.Position)
	}
	f.assertStream(stream, append(batch, later...))
}

func testIDInAnotherStream(t *testing.T, newStore NewStore) {
	for _, expected := range []eventstore.ExpectedVersion{eventstore.NoStream(), eventstore.Any()} {
		t.Run(expected.String(), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, newStore)
			a, b := f.stream("a"), f.stream("b")
			ev := newEvent(1)
			f.mustAppend(a, eventstore.NoStream(), ev)

			_, err := f.store.Append(f.ctx, b, expected, ev)

			if !errors.Is(err, eventstore.ErrDuplicateEventID) {
				t.Fatalf("appending to %q an id already in %q: error %v, want eventstore.ErrDuplicateEventID", b, a, err)
			}
			f.assertStream(a, []eventstore.EventData{ev})
			f.assertStream(b, nil)
			f.readAllOurs(1)
		})
	}
}

func testIDWithDifferentContent(t *testing.T, newStore NewStore) {
	cases := []struct {
		name   string
		change func(e *eventstore.EventData)
	}{
		{"DifferentType", func(e *eventstore.EventData) { e.Type = "conftest.other.v1" }},
		{"DifferentData", func(e *eventstore.EventData) { e.Data = json.RawMessage(`{"n": -1}`) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, newStore)
			stream := f.stream("content")
			orig := newEvent(1)
			f.mustAppend(stream, eventstore.NoStream(), orig)
			changed := orig
			c.change(&changed)

			for _, expected := range []eventstore.ExpectedVersion{eventstore.NoStream(), eventstore.Any()} {
				_, err := f.store.Append(f.ctx, stream, expected, changed)
				if !errors.Is(err, eventstore.ErrDuplicateEventID) && !errors.Is(err, eventstore.ErrConflict) {
					t.Errorf("reusing id %s for different content expecting %s: error %v, want ErrDuplicateEventID or ErrConflict",
						orig.ID, expected, err)
				}
			}
			f.assertStream(stream, []eventstore.EventData{orig})
			f.readAllOurs(1)
		})
	}
}

func testPartialOverlap(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore)
	stream := f.stream("partial")
	first := newEvents(1, 2)
	f.mustAppend(stream, eventstore.NoStream(), first...)
	fresh := newEvents(3, 2)
	cases := []struct {
		name     string
		expected eventstore.ExpectedVersion
		batch    []eventstore.EventData
	}{
		{"stored then new, where the stored one is", eventstore.Exactly(1), []eventstore.EventData{first[1], fresh[0]}},
		{"stored then new, with Any", eventstore.Any(), []eventstore.EventData{first[1], fresh[0]}},
		{"new then stored, at the end of the stream", eventstore.Exactly(2), []eventstore.EventData{fresh[1], first[1]}},
		{"new then stored, with Any", eventstore.Any(), []eventstore.EventData{fresh[1], first[0]}},
	}

	for _, c := range cases {
		_, err := f.store.Append(f.ctx, stream, c.expected, c.batch...)
		if !errors.Is(err, eventstore.ErrDuplicateEventID) && !errors.Is(err, eventstore.ErrConflict) {
			t.Errorf("a batch repeating part of an earlier one (%s): error %v, want ErrDuplicateEventID or ErrConflict", c.name, err)
		}
	}
	f.assertStream(stream, first)
	f.assertAbsent(fresh...)
}
