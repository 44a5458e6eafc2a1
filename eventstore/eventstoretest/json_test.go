package eventstoretest

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestSameJSONIgnoresWhatJSONBDoesNotKeep(t *testing.T) {
	cases := []struct {
		a, b string
		same bool
	}{
		{`{"a": 1, "b": [true, null]}`, `{"b":[true,null],"a":1}`, true},
		{`{"n": 100}`, `{"n": 1e2}`, true},
		{`{"n": 1.50}`, `{"n": 1.5}`, true},
		{``, `null`, true},
		{`{"n": 1}`, `{"n": 2}`, false},
		{`{"n": 1}`, `{"n": "1"}`, false},
		{`{"a": 1}`, `{"a": 1, "b": 1}`, false},
		{`[1, 2]`, `[2, 1]`, false},
		{`{"n": 12345678901234567890}`, `{"n": 12345678901234567891}`, false},
		{`{}`, ``, false},
	}
	for _, c := range cases {
		if got := sameJSON([]byte(c.a), []byte(c.b)); got != c.same {
			t.Errorf("sameJSON(%s, %s) = %v, want %v", c.a, c.b, got, c.same)
		}
		if got := sameJSON([]byte(c.b), []byte(c.a)); got != c.same {
			t.Errorf("sameJSON(%s, %s) = %v, want %v", c.b, c.a, got, c.same)
		}
	}
}

// FuzzSameJSONMatchesAReencoding checks the comparison the suite relies on: a value is the
// same as itself re-encoded (what a jsonb column does), and the comparison is symmetric.
func FuzzSameJSONMatchesAReencoding(f *testing.F) {
	f.Add([]byte(`{"a": 1, "b": [true, null, "x"]}`), []byte(`{"a":1}`))
	f.Add([]byte(`1e2`), []byte(`100`))
	f.Add([]byte(``), []byte(`null`))
	f.Add([]byte(`{`), []byte(`{`))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		if sameJSON(a, b) != sameJSON(b, a) {
			t.Fatalf("sameJSON is not symmetric on %q and %q", a, b)
		}
		if !sameJSON(a, a) {
			t.Fatalf("%q is not the same as itself", a)
		}
		// Re-encode keeping numbers as written, as jsonb keeps their value.
		d := json.NewDecoder(bytes.NewReader(a))
		d.UseNumber()
		var v any
		if d.Decode(&v) != nil || d.More() {
			return
		}
		re, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("re-encoding %q: %v", a, err)
		}
		if !sameJSON(a, re) {
			t.Fatalf("%q and its re-encoding %q differ", a, re)
		}
	})
}
