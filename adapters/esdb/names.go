package esdb

import (
	"errors"
	"fmt"
	"strings"

	"ledgerdesk/eventstore"
)

// ErrInvalidStream is wrapped by reads of a stream name the adapter does not serve:
// empty, an ESDB system stream ($...), or one of the adapter's own guard streams.
var ErrInvalidStream = errors.New("invalid stream name")

// guardStreamPrefix names the streams that record which stream owns an event id. The
// category is deliberately unlike any domain category (those are single lowercase words)
// so it cannot collide with an aggregate's stream.
const guardStreamPrefix = "ledgerdesk_eventid-"

// guardEventType starts with "$" so that ESDB's standard "exclude system events" filter,
// and our own reads of $all, leave guard events out without a second filter.
const guardEventType = "$ledgerdesk.eventid"

func guardStream(id fmt.Stringer) string { return guardStreamPrefix + id.String() }

func isGuardStream(stream string) bool { return strings.HasPrefix(stream, guardStreamPrefix) }

// isSystem reports what ESDB itself writes: system streams ($all, $ce-..., $$metadata)
// and system event types ($>, $metadata, $streamDeleted...). None of it is ours to deliver.
func isSystem(stream, eventType string) bool {
	return strings.HasPrefix(stream, "$") || strings.HasPrefix(eventType, "$")
}

// validateReadStream refuses names that would read something other than a domain stream.
func validateReadStream(stream string) error {
	switch {
	case stream == "":
		return fmt.Errorf("%w: empty stream name", ErrInvalidStream)
	case strings.HasPrefix(stream, "$"):
		return fmt.Errorf("%w: stream %q: names starting with $ are reserved for the store", ErrInvalidStream, stream)
	case isGuardStream(stream):
		return fmt.Errorf("%w: stream %q: names starting with %q are reserved for the adapter", ErrInvalidStream, stream, guardStreamPrefix)
	}
	return nil
}

// validateAppend adds to the port's checks what only this adapter needs: the guard-stream
// prefix is reserved, and data and metadata must be JSON because ESDB stores them with
// the JSON content type (its projections and UI parse them).
func validateAppend(stream string, events []eventstore.EventData) error {
	if err := eventstore.ValidateAppend(stream, events); err != nil {
		return err
	}
	if isGuardStream(stream) {
		return fmt.Errorf("%w: stream %q: names starting with %q are reserved for the adapter", eventstore.ErrInvalidAppend, stream, guardStreamPrefix)
	}
	for i, e := range events {
		if len(e.Data) > 0 && !jsonValid(e.Data) {
			return fmt.Errorf("%w: stream %q: event %d (%s): data is not valid JSON", eventstore.ErrInvalidAppend, stream, i, e.Type)
		}
		if strings.HasPrefix(e.Type, "$") {
			return fmt.Errorf("%w: stream %q: event %d: types starting with $ are reserved for the store", eventstore.ErrInvalidAppend, stream, i)
		}
	}
	return nil
}
