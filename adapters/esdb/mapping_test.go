package esdb

import (
	"math"
	"testing"
	"time"

	esdbc "github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"ledgerdesk/eventstore"
)

func TestExpectedVersionMapsToZeroBasedRevision(t *testing.T) {
	cases := []struct {
		name     string
		expected eventstore.ExpectedVersion
		want     esdbc.ExpectedRevision
	}{
		{"any version", eventstore.Any(), esdbc.Any{}},
		{"no stream", eventstore.NoStream(), esdbc.NoStream{}},
		{"exactly 0 is no stream", eventstore.Exactly(0), esdbc.NoStream{}},
		{"one event is revision 0", eventstore.Exactly(1), esdbc.Revision(0)},
		{"n events is revision n-1", eventstore.Exactly(42), esdbc.Revision(41)},
		{"largest version", eventstore.Exactly(math.MaxUint64), esdbc.Revision(math.MaxUint64 - 1)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := expectedRevision(c.expected); got != c.want {
				t.Errorf("expectedRevision(%s) = %#v, want %#v", c.expected, got, c.want)
			}
		})
	}
}

func TestReadFromVersionMapsToZeroBasedRevision(t *testing.T) {
	cases := map[uint64]uint64{0: 0, 1: 0, 2: 1, 10: 9}
	for from, rev := range cases {
		if got := readFrom(from); got != esdbc.Revision(rev) {
			t.Errorf("readFrom(%d) = %d, want revision %d", from, got.Value, rev)
		}
	}
}

func TestAllPositionsMapBothWays(t *testing.T) {
	if got := allFrom(eventstore.Start); got != (esdbc.Start{}) {
		t.Errorf("allFrom(Start) = %#v, want esdb Start", got)
	}
	p := eventstore.Position{Commit: 1234, Prepare: 1200}
	if got := allFrom(p); got != (esdbc.Position{Commit: 1234, Prepare: 1200}) {
		t.Errorf("allFrom(%s) = %#v", p, got)
	}
	if got := position(esdbc.Position{Commit: 1234, Prepare: 1200}); got != p {
		t.Errorf("position() = %s, want %s", got, p)
	}
	// Servers before 22.6 say "no position" on stream reads as MaxUint64.
	if got := position(esdbc.Position{Commit: math.MaxUint64, Prepare: math.MaxUint64}); got != (eventstore.Position{}) {
		t.Errorf("unknown position = %s, want zero", got)
	}
}

func TestEventDataIsJSONWithItsOwnIDAndEnvelope(t *testing.T) {
	at := time.Date(2024, 1, 31, 23, 59, 59, 123456789, time.UTC)
	e := eventData(7, "appointment.completed.v1", `{"fee":"250.00"}`)
	e.Metadata = []byte(`{"correlation_id":"c1"}`)
	e.RecordedAt = at
	got, err := toEventData(e)
	if err != nil {
		t.Fatal(err)
	}
	if got.EventID != e.ID || got.EventType != e.Type || got.ContentType != esdbc.ContentTypeJson || string(got.Data) != string(e.Data) {
		t.Errorf("toEventData = %+v", got)
	}
	meta, back := decodeMetadata(got.Metadata)
	if !back.Equal(at) || !jsonEqual(meta, e.Metadata) {
		t.Errorf("envelope lost something: %s at %s", meta, back)
	}
}

func TestRecordedEventVersionIsRevisionPlusOne(t *testing.T) {
	r := recorded("appointment-1", 0, 1, "appointment.booked.v1", 500)
	got := fromRecorded(r)
	want := eventstore.RecordedEvent{
		ID: id(1), StreamID: "appointment-1", Version: 1, Type: "appointment.booked.v1",
		Data: []byte(`{"n":1}`), RecordedAt: r.CreatedDate, Position: pos(500),
	}
	if got.ID != want.ID || got.StreamID != want.StreamID || got.Version != want.Version || got.Type != want.Type ||
		string(got.Data) != string(want.Data) || got.Metadata != nil || !got.RecordedAt.Equal(want.RecordedAt) || got.Position != want.Position {
		t.Errorf("fromRecorded = %+v, want %+v", got, want)
	}
}

func TestRecordedAtPrefersTheOriginalTimeInTheEnvelope(t *testing.T) {
	original := time.Date(2023, 11, 5, 14, 30, 0, 999, time.UTC)
	r := recorded("invoice-9", 3, 2, "invoice.paid.v1", 900)
	r.UserMetadata, _ = encodeMetadata([]byte(`{"actor":"clerk"}`), original)
	got := fromRecorded(r)
	if !got.RecordedAt.Equal(original) {
		t.Errorf("RecordedAt = %s, want the original %s, not ESDB's %s", got.RecordedAt, original, r.CreatedDate)
	}
	if string(got.Metadata) != `{"actor":"clerk"}` {
		t.Errorf("Metadata = %s", got.Metadata)
	}
	if got.Version != 4 {
		t.Errorf("Version = %d, want 4", got.Version)
	}
}

func TestOnlyDomainEventsAreDeliverable(t *testing.T) {
	cases := []struct {
		stream, typ string
		want        bool
	}{
		{"appointment-1", "appointment.booked.v1", true},
		{"$ce-appointment", "$>", false},
		{"appointment-1", "$>", false},
		{"$$appointment-1", "$metadata", false},
		{"$stats-127.0.0.1:2113", "$statsCollected", false},
		{guardStreamPrefix + id(1).String(), guardEventType, false},
		{guardStreamPrefix + id(1).String(), "anything", false},
	}
	for _, c := range cases {
		if got := deliverable(recorded(c.stream, 0, 1, c.typ, 1)); got != c.want {
			t.Errorf("deliverable(%q, %q) = %v, want %v", c.stream, c.typ, got, c.want)
		}
	}
	if deliverable(nil) {
		t.Error("deliverable(nil) = true")
	}
}
