package esdb

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"ledgerdesk/eventstore"
)

// stored is an event as the stream holds it, at version v and global position p.
func stored(e eventstore.EventData, v, p uint64) eventstore.RecordedEvent {
	return eventstore.RecordedEvent{ID: e.ID, StreamID: "invoice-1", Version: v, Type: e.Type,
		Data: e.Data, Metadata: e.Metadata, RecordedAt: e.RecordedAt, Position: pos(p)}
}

func TestRetryOfAnAppendReturnsTheFirstResult(t *testing.T) {
	a := eventData(1, "invoice.raised.v1", `{"total":"90.00"}`)
	b := eventData(2, "invoice.item_added.v1", `{"amount":"90.00"}`)
	other := eventData(9, "invoice.sent.v1", `{}`)
	stream := []eventstore.RecordedEvent{stored(other, 1, 100), stored(a, 2, 200), stored(b, 3, 210)}

	for _, expected := range []eventstore.ExpectedVersion{eventstore.Exactly(1), eventstore.Any()} {
		res, found, err := matchRetry("invoice-1", expected, []eventstore.EventData{a, b}, stream)
		if err != nil || !found {
			t.Fatalf("%s: matchRetry = %v, %v; want a recognised retry", expected, found, err)
		}
		if res.Version != 3 || res.Position != pos(210) {
			t.Errorf("%s: result = %+v, want version 3 at the last event's position", expected, res)
		}
	}
}

func TestRetryIsRecognisedWhateverTheJSONLayout(t *testing.T) {
	a := eventData(1, "invoice.raised.v1", `{"total":"90.00","patient":"p1"}`)
	a.Metadata = json.RawMessage(`{"command_id":"c1"}`)
	again := a
	again.Data = json.RawMessage(`{ "patient": "p1", "total": "90.00" }`)
	again.Metadata = json.RawMessage(`{"command_id": "c1"}`)
	_, found, err := matchRetry("invoice-1", eventstore.NoStream(), []eventstore.EventData{again},
		[]eventstore.RecordedEvent{stored(a, 1, 10)})
	if err != nil || !found {
		t.Errorf("matchRetry = %v, %v; want a retry", found, err)
	}
}

func TestFreshEventsAreNotARetry(t *testing.T) {
	a := eventData(1, "invoice.raised.v1", `{}`)
	other := eventData(9, "invoice.sent.v1", `{}`)
	_, found, err := matchRetry("invoice-1", eventstore.Exactly(1), []eventstore.EventData{a},
		[]eventstore.RecordedEvent{stored(other, 1, 10)})
	if err != nil || found {
		t.Errorf("matchRetry = %v, %v; want not found", found, err)
	}
	if _, found, err := matchRetry("invoice-1", eventstore.NoStream(), []eventstore.EventData{a}, nil); err != nil || found {
		t.Errorf("empty stream: matchRetry = %v, %v; want not found", found, err)
	}
}

func TestAReusedEventIDThatIsNotARetryIsADuplicate(t *testing.T) {
	a := eventData(1, "invoice.raised.v1", `{"total":"90.00"}`)
	b := eventData(2, "invoice.item_added.v1", `{"amount":"90.00"}`)
	c := eventData(3, "invoice.sent.v1", `{}`)
	x := eventData(8, "invoice.voided.v1", `{}`)

	cases := []struct {
		name     string
		expected eventstore.ExpectedVersion
		events   []eventstore.EventData
		stream   []eventstore.RecordedEvent
	}{
		{"same id, different data", eventstore.NoStream(),
			[]eventstore.EventData{eventData(1, "invoice.raised.v1", `{"total":"95.00"}`)},
			[]eventstore.RecordedEvent{stored(a, 1, 10)}},
		{"same id, different type", eventstore.NoStream(),
			[]eventstore.EventData{eventData(1, "invoice.voided.v1", `{"total":"90.00"}`)},
			[]eventstore.RecordedEvent{stored(a, 1, 10)}},
		{"first event new, second already there", eventstore.Exactly(1),
			[]eventstore.EventData{c, b},
			[]eventstore.RecordedEvent{stored(a, 1, 10), stored(b, 2, 20)}},
		{"first there, second missing", eventstore.NoStream(),
			[]eventstore.EventData{a, b},
			[]eventstore.RecordedEvent{stored(a, 1, 10)}},
		{"not next to each other", eventstore.NoStream(),
			[]eventstore.EventData{a, b},
			[]eventstore.RecordedEvent{stored(a, 1, 10), stored(x, 2, 20), stored(b, 3, 30)}},
		{"in another order", eventstore.NoStream(),
			[]eventstore.EventData{a, b},
			[]eventstore.RecordedEvent{stored(b, 1, 10), stored(a, 2, 20)}},
		{"already there, but elsewhere than expected", eventstore.Exactly(2),
			[]eventstore.EventData{b},
			[]eventstore.RecordedEvent{stored(a, 1, 10), stored(b, 2, 20), stored(x, 3, 30)}},
		{"no stream expected, but appended later", eventstore.NoStream(),
			[]eventstore.EventData{b},
			[]eventstore.RecordedEvent{stored(a, 1, 10), stored(b, 2, 20)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, found, err := matchRetry("invoice-1", c.expected, c.events, c.stream)
			if found || !errors.Is(err, eventstore.ErrDuplicateEventID) {
				t.Errorf("matchRetry = %v, %v; want ErrDuplicateEventID", found, err)
			}
		})
	}
}

func TestRetryIgnoresMetadataAndRecordedAt(t *testing.T) {
	a := eventData(1, "invoice.raised.v1", `{}`)
	a.Metadata = json.RawMessage(`{"correlation_id":"first request"}`)
	again := a
	again.Metadata = json.RawMessage(`{"correlation_id":"retried request"}`)
	again.RecordedAt = time.Date(2024, 12, 1, 8, 0, 0, 123456789, time.UTC)
	_, found, err := matchRetry("invoice-1", eventstore.NoStream(), []eventstore.EventData{again},
		[]eventstore.RecordedEvent{stored(a, 1, 10)})
	if err != nil || !found {
		t.Errorf("matchRetry = %v, %v; want the retry recognised", found, err)
	}
}
