package eventstoretest

import (
	"testing"
	"time"

	"ledgerdesk/eventstore"
)

var appendCases = []testCase{
	{"NoStreamStartsANewStreamAtVersion1", testNoStreamStartsAtVersion1},
	{"ExactlyContinuesTheStreamContiguously", testExactlyContinues},
	{"ExactlyZeroIsNoStream", testExactlyZeroIsNoStream},
	{"AnyCreatesAndExtendsAStream", testAnyCreatesAndExtends},
	{"ResultIsTheLastEventsVersionAndPosition", testResultMatchesReadBack},
	{"GivenRecordedAtIsKept", testGivenRecordedAtIsKept},
	{"StoredEventsDoNotShareTheCallersBuffers", testNoAliasing},
}

func testNoStreamStartsAtVersion1(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore)
	stream := f.stream("new")
	evs := newEvents(1, 3)

	res := f.mustAppend(stream, eventstore.NoStream(), evs...)

	if res.Version != 3 {
		t.Errorf("append of 3 events to a new stream: version %d, want 3", res.Version)
	}
	got := f.assertStream(stream, evs)
	for i := 1; i < len(got); i++ {
		if !got[i-1].Position.Before(got[i].Position) {
			t.Errorf("version %d at %s does not sort before version %d at %s", i, got[i-1].Position, i+1, got[i].Position)
		}
	}
}

func testExactlyContinues(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore)
	stream := f.stream("exact")
	first, second, third := newEvents(1, 2), newEvents(3, 3), newEvents(6, 1)

	f.mustAppend(stream, eventstore.NoStream(), first...)
	if res := f.mustAppend(stream, eventstore.Exactly(2), second...); res.Version != 5 {
		t.Errorf("append of 3 at version 2: version %d, want 5", res.Version)
	}
	if res := f.mustAppend(stream, eventstore.Exactly(5), third...); res.Version != 6 {
		t.Errorf("append of 1 at version 5: version %d, want 6", res.Version)
	}

	f.assertStream(stream, append(append(first, second...), third...))
}

func testExactlyZeroIsNoStream(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore)
	stream := f.stream("zero")
	evs := newEvents(1, 2)

	if res := f.mustAppend(stream, eventstore.Exactly(0), evs...); res.Version != 2 {
		t.Errorf("append of 2 at version 0: version %d, want 2", res.Version)
	}
	_, err := f.store.Append(f.ctx, stream, eventstore.Exactly(0), newEvent(3))
	assertConflict(t, err, stream, eventstore.NoStream(), 2)

	f.assertStream(stream, evs)
}

func testAnyCreatesAndExtends(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore)
	stream := f.stream("any")
	first, second := newEvents(1, 1), newEvents(2, 2)

	if res := f.mustAppend(stream, eventstore.Any(), first...); res.Version != 1 {
		t.Errorf("append of 1 with Any to a new stream: version %d, want 1", res.Version)
	}
	if res := f.mustAppend(stream, eventstore.Any(), second...); res.Version != 3 {
		t.Errorf("append of 2 with Any at version 1: version %d, want 3", res.Version)
	}

	f.assertStream(stream, append(first, second...))
}

func testResultMatchesReadBack(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore)
	a, b := f.stream("a"), f.stream("b")

	resA := f.mustAppend(a, eventstore.NoStream(), newEvents(1, 2)...)
	resB := f.mustAppend(b, eventstore.NoStream(), newEvents(3, 3)...)

	if !resA.Position.Before(resB.Position) {
		t.Errorf("a later append's position %s does not sort after an earlier one's %s", resB.Position, resA.Position)
	}
	for _, c := range []struct {
		stream string
		res    eventstore.AppendResult
	}{{a, resA}, {b, resB}} {
		got := f.readStream(c.stream)
		last := got[len(got)-1]
		if c.res.Version != last.Version || c.res.Position != last.Position {
			t.Errorf("%q: append result {version %d, position %s}, but its last event is version %d at %s",
				c.stream, c.res.Version, c.res.Position, last.Version, last.Position)
		}
	}
	ours := f.readAllOurs(5)
	if ours[1].Position != resA.Position || ours[4].Position != resB.Position {
		t.Errorf("read all: last events at %s and %s, append results say %s and %s",
			ours[1].Position, ours[4].Position, resA.Position, resB.Position)
	}
}

func testGivenRecordedAtIsKept(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore)
	stream := f.stream("history")
	// A time with nanoseconds and a zone of its own: a store keeps the instant to the
	// microsecond, whatever zone it reads it back in.
	original := time.Date(2025, time.February, 3, 9, 15, 30, 123456789, time.FixedZone("X", 5*3600+30*60))
	evs := newEvents(1, 2)
	evs[0].RecordedAt = original

	f.mustAppend(stream, eventstore.NoStream(), evs...)

	// assertRecorded checks the given time on the first and a fresh stamp on the second.
	f.assertStream(stream, evs)
}

func testNoAliasing(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore)
	stream := f.stream("alias")
	ev := newEvent(1)
	want := ev
	want.Data = append([]byte(nil), ev.Data...)
	want.Metadata = append([]byte(nil), ev.Metadata...)

	f.mustAppend(stream, eventstore.NoStream(), ev)
	clear(ev.Data)
	clear(ev.Metadata)
	got := f.readStream(stream)
	clear(got[0].Data)
	clear(got[0].Metadata)

	f.assertStream(stream, []eventstore.EventData{want})
}
