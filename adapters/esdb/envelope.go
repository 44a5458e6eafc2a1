package esdb

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"time"
)

// The metadata envelope.
//
// ESDB stamps every event with its own creation time and offers no way to set it, yet the
// port lets an append keep an original RecordedAt (copying a history between stores). So,
// only when RecordedAt is given, the caller's metadata is wrapped:
//
//	{"$originalRecordedAt":"2025-02-03T09:00:00.123456789Z","$metadata":<caller's metadata>}
//
// ("$metadata" is left out when the caller has none). Reading back, an envelope yields the
// original time and the caller's metadata byte for byte; anything else is returned
// verbatim with ESDB's creation time. The two cannot be confused because an append whose
// own metadata has a top-level "$originalRecordedAt" key is refused.
const (
	envelopeTimeKey = "$originalRecordedAt"
	envelopeMetaKey = "$metadata"
	envelopePrefix  = `{"` + envelopeTimeKey + `":"`
	envelopeMetaSep = `,"` + envelopeMetaKey + `":`
)

var errEnvelope = errors.New("metadata")

// encodeMetadata is what ESDB stores as the event's user metadata.
func encodeMetadata(meta json.RawMessage, recordedAt time.Time) ([]byte, error) {
	if len(meta) > 0 {
		if !jsonValid(meta) {
			return nil, fmt.Errorf("%w: not valid JSON", errEnvelope)
		}
		if hasTopLevelKey(meta, envelopeTimeKey) {
			return nil, fmt.Errorf("%w: the top-level key %q is reserved by the store", errEnvelope, envelopeTimeKey)
		}
	}
	if recordedAt.IsZero() {
		if len(meta) == 0 {
			return nil, nil
		}
		return meta, nil
	}
	// Written by hand rather than by json.Marshal, which would compact and re-escape the
	// caller's bytes.
	var b bytes.Buffer
	b.WriteString(envelopePrefix)
	b.WriteString(recordedAt.UTC().Format(time.RFC3339Nano))
	b.WriteByte('"')
	if len(meta) > 0 {
		b.WriteString(envelopeMetaSep)
		b.Write(meta)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// decodeMetadata undoes encodeMetadata. Metadata written by someone else (another tool,
// an older version) is returned as it is, never rejected: reading must not fail on data
// that is already in the log.
func decodeMetadata(stored []byte) (meta json.RawMessage, recordedAt time.Time) {
	if len(stored) == 0 {
		return nil, time.Time{}
	}
	verbatim := json.RawMessage(stored)
	rest, ok := bytes.CutPrefix(stored, []byte(envelopePrefix))
	if !ok {
		return verbatim, time.Time{}
	}
	end := bytes.IndexByte(rest, '"')
	if end < 0 {
		return verbatim, time.Time{}
	}
	at, err := time.Parse(time.RFC3339Nano, string(rest[:end]))
	if err != nil {
		return verbatim, time.Time{}
	}
	rest = rest[end+1:]
	switch {
	case len(rest) == 1 && rest[0] == '}':
		return nil, at
	case len(rest) > len(envelopeMetaSep)+1 && bytes.HasPrefix(rest, []byte(envelopeMetaSep)) && rest[len(rest)-1] == '}':
		inner := rest[len(envelopeMetaSep) : len(rest)-1]
		if !jsonValid(inner) {
			break // someone else's look-alike: not ours to unwrap
		}
		return json.RawMessage(inner), at
	}
	return verbatim, time.Time{}
}

func jsonValid(b []byte) bool { return json.Valid(b) }

// hasTopLevelKey reports whether b is a JSON object with key k at its top level.
func hasTopLevelKey(b []byte, k string) bool {
	var obj map[string]json.RawMessage
	if json.Unmarshal(b, &obj) != nil {
		return false
	}
	_, ok := obj[k]
	return ok
}

// jsonEqual compares two JSON documents by meaning rather than by bytes, so a retry whose
// encoder ordered keys or spaced differently is still recognised as the same event.
func jsonEqual(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
	if len(bytes.TrimSpace(a)) == 0 || len(bytes.TrimSpace(b)) == 0 {
		return false
	}
	va, okA := decodeJSON(a)
	vb, okB := decodeJSON(b)
	return okA && okB && reflect.DeepEqual(va, vb)
}

func decodeJSON(b []byte) (any, bool) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber() // keep 250.00 and 250.0 apart: amounts are compared exactly, never as floats
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, false
	}
	return v, true
}
