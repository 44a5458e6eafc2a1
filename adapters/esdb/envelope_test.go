package esdb

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func TestMetadataEnvelopeRoundTrips(t *testing.T) {
	at := time.Date(2025, 2, 3, 0, 0, 0, 1, time.UTC)
	cases := []struct {
		name       string
		meta       string
		recordedAt time.Time
	}{
		{"no metadata, no time", ``, time.Time{}},
		{"metadata, no time", `{"correlation_id":"c1","causation_id":"c0"}`, time.Time{}},
		{"no metadata, original time", ``, at},
		{"object metadata, original time", `{"actor":"clerk-7"}`, at},
		{"array metadata, original time", `[1,2,3]`, at},
		{"null metadata, original time", `null`, at},
		{"nested key of the same name is the caller's", `{"x":{"$originalRecordedAt":"no"}}`, at},
		{"time in another zone", `{}`, time.Date(2024, 6, 1, 12, 0, 0, 0, time.FixedZone("BST", 3600))},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			stored, err := encodeMetadata(json.RawMessage(c.meta), c.recordedAt)
			if err != nil {
				t.Fatal(err)
			}
			if c.meta != "" && !json.Valid(stored) {
				t.Fatalf("stored metadata is not JSON: %s", stored)
			}
			meta, at := decodeMetadata(stored)
			if string(meta) != c.meta {
				t.Errorf("metadata = %q, want %q", meta, c.meta)
			}
			if !at.Equal(c.recordedAt) {
				t.Errorf("recordedAt = %s, want %s", at, c.recordedAt)
			}
		})
	}
}

func TestMetadataWithoutRecordedAtIsStoredVerbatim(t *testing.T) {
	meta := `{ "b": 1,  "a": 2 }`
	stored, err := encodeMetadata(json.RawMessage(meta), time.Time{})
	if err != nil || string(stored) != meta {
		t.Fatalf("encodeMetadata = %q, %v; want the caller's bytes", stored, err)
	}
}

func TestEnvelopeTimeKeyIsReservedInTheCallersMetadata(t *testing.T) {
	for _, at := range []time.Time{{}, time.Now()} {
		_, err := encodeMetadata(json.RawMessage(`{"$originalRecordedAt":"2020-01-01T00:00:00Z"}`), at)
		if !errors.Is(err, errEnvelope) {
			t.Errorf("reserved key accepted (recordedAt %v): %v", at, err)
		}
	}
}

func TestMetadataMustBeJSON(t *testing.T) {
	if _, err := encodeMetadata(json.RawMessage(`{not json`), time.Time{}); !errors.Is(err, errEnvelope) {
		t.Errorf("invalid JSON accepted: %v", err)
	}
}

func TestForeignMetadataReadsVerbatim(t *testing.T) {
	for _, stored := range []string{
		`not json at all`,
		`{"$originalRecordedAt":42}`,
		`{"$originalRecordedAt":"yesterday"}`,
		`{"$originalRecordedAt":"2020-01-01T00:00:00Z"`,
		`{"$correlationId":"abc"}`,
	} {
		meta, at := decodeMetadata([]byte(stored))
		if string(meta) != stored || !at.IsZero() {
			t.Errorf("decodeMetadata(%q) = %q, %s; want it verbatim with no time", stored, meta, at)
		}
	}
}

func TestJSONEqualIgnoresLayoutButNotValues(t *testing.T) {
	cases := []struct {
		a, b string
		want bool
	}{
		{`{"a":1,"b":"x"}`, `{ "b":"x", "a":1 }`, true},
		{``, ``, true},
		{`{"fee":"250.00"}`, `{"fee":"250.0"}`, false},
		{`{"n":250.00}`, `{"n":250.0}`, false},
		{`{"a":1}`, `{"a":2}`, false},
		{``, `null`, false},
		{`{"a":1}`, `not json`, false},
	}
	for _, c := range cases {
		if got := jsonEqual([]byte(c.a), []byte(c.b)); got != c.want {
			t.Errorf("jsonEqual(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

// FuzzMetadataEnvelope: whatever the caller's metadata and time, encoding never panics and
// what it accepts decodes back to the same metadata and instant.
func FuzzMetadataEnvelope(f *testing.F) {
	f.Add([]byte(`{"correlation_id":"c1"}`), int64(0))
	f.Add([]byte(``), int64(1738540800123456789))
	f.Add([]byte(`[1,"$originalRecordedAt"]`), int64(-1))
	f.Add([]byte(`{"$originalRecordedAt":"x"}`), int64(5))
	f.Add([]byte(`{"\u0024originalRecordedAt":"2020-01-01T00:00:00Z"}`), int64(0))
	f.Fuzz(func(t *testing.T, meta []byte, nanos int64) {
		var at time.Time
		if nanos != 0 {
			at = time.Unix(0, nanos).UTC()
		}
		stored, err := encodeMetadata(meta, at)
		if err != nil {
			return
		}
		got, back := decodeMetadata(stored)
		if string(got) != string(meta) {
			t.Fatalf("metadata %q came back as %q (stored %q)", meta, got, stored)
		}
		if !back.Equal(at) {
			t.Fatalf("time %s came back as %s (stored %q)", at, back, stored)
		}
	})
}

// FuzzDecodeMetadata: reading whatever is in the log never panics.
func FuzzDecodeMetadata(f *testing.F) {
	f.Add([]byte(`{"$originalRecordedAt":"2025-02-03T00:00:00Z","$metadata":{"a":1}}`))
	f.Add([]byte(`{"$originalRecordedAt":"2025-02-03T00:00:00Z","$metadata":null}`))
	f.Add([]byte(`garbage "$originalRecordedAt"`))
	f.Fuzz(func(t *testing.T, stored []byte) {
		_, _ = decodeMetadata(stored)
	})
}

func TestEnvelopeLookAlikeWithBrokenMetadataReadsVerbatim(t *testing.T) {
	stored := `{"$originalRecordedAt":"2020-01-01T00:00:00Z","$metadata":1,"x":2}`
	meta, at := decodeMetadata([]byte(stored))
	if string(meta) != stored || !at.IsZero() {
		t.Errorf("decodeMetadata(%q) = %q, %s", stored, meta, at)
	}
}
