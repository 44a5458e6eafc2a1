package wmstore

import (
	"encoding/json"
	"testing"
)

func TestStringFieldFindsTopLevelStringsAndFallsBackOnEscapes(t *testing.T) {
	for _, tc := range []struct {
		raw, key, want string
		ok             bool
	}{
		{`{"correlation_id":"abc","actor":"x"}`, "correlation_id", "abc", true},
		{`{"actor": "x", "correlation_id" : "abc"}`, "correlation_id", "", false}, // space before the colon: not our writer's form
		{`{"correlation_id": "a\"b"}`, "correlation_id", `a"b`, true},
		{`{"note":"\"correlation_id\":\"forged\""}`, "correlation_id", "", false},
		{`{"correlation_id":12}`, "correlation_id", "", false},
		{`{}`, "correlation_id", "", false},
	} {
		got, ok := stringField(json.RawMessage(tc.raw), tc.key)
		if got != tc.want || ok != tc.ok {
			t.Errorf("stringField(%s) = %q, %v; want %q, %v", tc.raw, got, ok, tc.want, tc.ok)
		}
	}
}

func FuzzStringField(f *testing.F) {
	f.Add(`{"correlation_id":"abc"}`)
	f.Add(`{"correlation_id":"a\"b"}`)
	f.Fuzz(func(t *testing.T, raw string) {
		got, ok := stringField(json.RawMessage(raw), "correlation_id")
		var all map[string]json.RawMessage
		if !ok || json.Unmarshal([]byte(raw), &all) != nil {
			return
		}
		var want string
		if v, present := all["correlation_id"]; present && json.Unmarshal(v, &want) == nil && want != got {
			t.Fatalf("stringField(%q) = %q, but the object's value is %q", raw, got, want)
		}
	})
}
