package eventstoretest

import (
	"testing"

	"ledgerdesk/eventstore"
)

var readStreamCases = []testCase{
	{"PagesCoverTheStreamInVersionOrder", testReadStreamPaging},
	{"AMissingStreamReadsEmpty", testMissingStreamReadsEmpty},
	{"StreamsHoldOnlyTheirOwnEvents", testStreamsAreSeparate},
}

func testReadStreamPaging(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore)
	stream := f.stream("paged")
	evs := newEvents(1, 25)
	f.mustAppend(stream, eventstore.NoStream(), evs[:10]...)
	f.mustAppend(stream, eventstore.Exactly(10), evs[10:11]...)
	f.mustAppend(stream, eventstore.Exactly(11), evs[11:]...)

	cases := []struct {
		from        uint64
		limit       int
		first, last uint64 // versions expected; last < first means none
	}{
		{0, 10, 1, 10}, // version 0 does not exist: reading from it starts at 1
		{1, 10, 1, 10},
		{11, 10, 11, 20},
		{21, 10, 21, 25},
		{7, 1, 7, 7},
		{25, 100, 25, 25},
		{1, 1000, 1, 25},
		{26, 10, 1, 0},
		{1 << 40, 10, 1, 0},
	}
	for _, c := range cases {
		got, err := f.store.ReadStream(f.ctx, stream, c.from, c.limit)
		if err != nil {
			t.Fatalf("read from version %d, limit %d: %v", c.from, c.limit, err)
		}
		want := 0
		if c.last >= c.first {
			want = int(c.last - c.first + 1)
		}
		if len(got) != want {
			t.Errorf("read from version %d, limit %d: %d events, want %d", c.from, c.limit, len(got), want)
			continue
		}
		for i, e := range got {
			v := c.first + uint64(i)
			assertRecorded(t, e, evs[v-1], stream, v)
		}
	}
}

func testMissingStreamReadsEmpty(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore)
	f.mustAppend(f.stream("present"), eventstore.NoStream(), newEvent(1))

	for _, from := range []uint64{0, 1, 2} {
		got, err := f.store.ReadStream(f.ctx, f.stream("absent"), from, 10)
		if err != nil {
			t.Errorf("read missing stream from version %d: %v, want no events and no error", from, err)
		}
		if len(got) != 0 {
			t.Errorf("read missing stream from version %d: %d events, want none", from, len(got))
		}
	}
}

func testStreamsAreSeparate(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore)
	a, b := f.stream("a"), f.stream("b")
	// b's name extends a's: a store matching stream names by prefix would mix them.
	ab := f.stream("ab")
	var wantA, wantB, wantAB []eventstore.EventData
	for i := range 4 {
		ea, eb, eab := newEvent(i), newEvent(100+i), newEvent(200+i)
		f.mustAppend(a, eventstore.Exactly(uint64(i)), ea)
		f.mustAppend(b, eventstore.Exactly(uint64(i)), eb)
		f.mustAppend(ab, eventstore.Any(), eab)
		wantA, wantB, wantAB = append(wantA, ea), append(wantB, eb), append(wantAB, eab)
	}

	f.assertStream(a, wantA)
	f.assertStream(b, wantB)
	f.assertStream(ab, wantAB)
}
