package eventstoretest

import (
	"errors"
	"testing"

	"github.com/google/uuid"

	"ledgerdesk/eventstore"
)

var invalidCases = []testCase{
	{"InvalidAppendsAreRefusedAndWriteNothing", testInvalidAppends},
}

func testInvalidAppends(t *testing.T, newStore NewStore) {
	repeated := newEvent(1)
	noID := newEvent(2)
	noID.ID = uuid.Nil
	noType := newEvent(3)
	noType.Type = ""
	cases := []struct {
		name   string
		stream func(f *fixture) string
		events []eventstore.EventData
	}{
		{"EmptyStreamName", func(*fixture) string { return "" }, newEvents(10, 1)},
		{"ReservedStreamName", func(f *fixture) string { return "$" + f.stream("x") }, newEvents(10, 1)},
		{"ReservedAllStream", func(*fixture) string { return "$all" }, newEvents(10, 1)},
		{"NoEvents", func(f *fixture) string { return f.stream("x") }, nil},
		{"EventWithoutID", func(f *fixture) string { return f.stream("x") }, append(newEvents(10, 1), noID)},
		{"IDRepeatedInTheBatch", func(f *fixture) string { return f.stream("x") }, []eventstore.EventData{repeated, newEvent(10), repeated}},
		{"EventWithoutType", func(f *fixture) string { return f.stream("x") }, append(newEvents(10, 2), noType)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			for _, expected := range []eventstore.ExpectedVersion{eventstore.NoStream(), eventstore.Any()} {
				f := newFixture(t, newStore)
				stream := c.stream(f)

				_, err := f.store.Append(f.ctx, stream, expected, c.events...)

				if !errors.Is(err, eventstore.ErrInvalidAppend) {
					t.Errorf("expecting %s: error %v, want eventstore.ErrInvalidAppend", expected, err)
				}
				if stream != "" && stream[0] != '$' {
					f.assertStream(stream, nil)
				}
				f.assertAbsent(c.events...)
			}
		})
	}
}
