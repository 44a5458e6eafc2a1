package check_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"ledgerdesk/domain/check"
)

// FuzzWhatTheChecksAcceptCanBeStored: whatever an id, text or prose check lets through is
// valid UTF-8 without a NUL (which PostgreSQL cannot store in text), and an accepted id
// holds none of check.IDPunctuation; no check panics.
func FuzzWhatTheChecksAcceptCanBeStored(f *testing.F) {
	for _, s := range []string{"", "a\x00b", "inv-1", `a"b`, "a%b", "a;b", `a\b`, "\xff\xfe", "line\nbreak", "\u202e", "   "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		storable := func(what string) {
			if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
				t.Fatalf("%s accepted %q", what, s)
			}
		}
		if check.ID(nil, "id", s, check.MaxIDLength) == nil {
			storable("ID")
			if strings.ContainsAny(s, check.IDPunctuation) {
				t.Fatalf("ID accepted %q", s)
			}
		}
		if check.Text(nil, "text", s, 1000) == nil {
			storable("Text")
		}
		if p, err := check.Prose(nil, "prose", s, 1000, true); err == nil && (!utf8.ValidString(p) || strings.ContainsRune(p, 0)) {
			t.Fatalf("Prose accepted %q", s)
		}
		if check.Stream(nil, "invoice-"+s) == nil {
			storable("Stream")
		}
	})
}
