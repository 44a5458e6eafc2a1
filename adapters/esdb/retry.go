package esdb

import (
	"fmt"

	"github.com/google/uuid"

	"ledgerdesk/eventstore"
)

// matchRetry decides whether an append is a retry of one already in the stream, given
// the stream's events that carry any of the append's ids (other events are ignored).
//
//   - none of the ids is there: not a retry (found is false);
//   - all of them are, in order, at consecutive versions, with the same type and data,
//     and where expected says the first one had to go: a retry, and the result
//     is the first append's (version and position of its last event);
//   - anything else (some ids there and not others, a different payload, another place):
//     ErrDuplicateEventID, because the ids are taken by events this append is not.
func matchRetry(stream string, expected eventstore.ExpectedVersion, events []eventstore.EventData,
	existing []eventstore.RecordedEvent) (res eventstore.AppendResult, found bool, err error) {
	byID := make(map[uuid.UUID]*eventstore.RecordedEvent, len(events))
	for _, e := range events {
		byID[e.ID] = nil
	}
	hit := false
	for i := range existing {
		r := &existing[i]
		if prev, ours := byID[r.ID]; ours && prev == nil {
			byID[r.ID] = r
			hit = true
		}
	}
	if !hit || len(events) == 0 {
		return eventstore.AppendResult{}, false, nil
	}
	first := byID[events[0].ID]
	if first == nil {
		return eventstore.AppendResult{}, false, duplicate(stream, events, "some of this append's event ids are already in the stream, but not its first")
	}
	for i, e := range events {
		r := byID[e.ID]
		switch {
		case r == nil:
			return eventstore.AppendResult{}, false, duplicate(stream, events,
				fmt.Sprintf("event %d (%s) of a retried append is missing from the stream", i, e.ID))
		case r.Version != first.Version+uint64(i):
			return eventstore.AppendResult{}, false, duplicate(stream, events,
				fmt.Sprintf("event %d (%s) is already at version %d, not next to the events before it", i, e.ID, r.Version))
		case !sameEvent(*r, e):
			return eventstore.AppendResult{}, false, duplicate(stream, events,
				fmt.Sprintf("event id %s is already used at version %d by an event with a different type or content", e.ID, r.Version))
		}
	}
	if v, ok := expected.Version(); ok && first.Version != v+1 {
		return eventstore.AppendResult{}, false, duplicate(stream, events,
			fmt.Sprintf("these events are already at version %d, so they cannot be appended after %s", first.Version, expected))
	}
	last := byID[events[len(events)-1].ID]
	return eventstore.AppendResult{Version: last.Version, Position: last.Position}, true, nil
}

func duplicate(stream string, events []eventstore.EventData, why string) error {
	return fmt.Errorf("%w: stream %q: %s", eventstore.ErrDuplicateEventID, stream, why)
}

// sameEvent reports whether a stored event is what the append proposes again. As the port
// defines a retry, only the type and the data are compared: the metadata (a new
// correlation id on a retried request, say) and RecordedAt may differ.
func sameEvent(r eventstore.RecordedEvent, e eventstore.EventData) bool {
	return r.Type == e.Type && jsonEqual(r.Data, e.Data)
}
