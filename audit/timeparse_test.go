package audit_test

import (
	"errors"
	"testing"
	"time"

	"ledgerdesk/audit"
)

func TestParseTimeReadsWhatAuditorsWrite(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   string
		end  bool
		want time.Time
	}{
		{"2025-02-03T09:30:00Z", false, time.Date(2025, 2, 3, 9, 30, 0, 0, time.UTC)},
		{"2025-07-01 09:30", false, time.Date(2025, 7, 1, 8, 30, 0, 0, time.UTC)}, // BST
		{"2025-02-03", false, time.Date(2025, 2, 3, 0, 0, 0, 0, time.UTC)},
		{"2025-02-03", true, time.Date(2025, 2, 4, 0, 0, 0, 0, time.UTC).Add(-time.Nanosecond)},
	} {
		got, err := audit.ParseTime(c.in, c.end)
		if err != nil || !got.Equal(c.want) {
			t.Errorf("ParseTime(%q, %v) = %v, %v; want %v", c.in, c.end, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "yesterday", "2025-13-01", "03/02/2025"} {
		if _, err := audit.ParseTime(bad, false); !errors.Is(err, audit.ErrBadTime) {
			t.Errorf("ParseTime(%q) = %v, want ErrBadTime", bad, err)
		}
	}
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2025-02-03", "2025-02-03 09:30", "2025-02-03T09:30:00+01:00", "", "x"} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, end bool) {
		got, err := audit.ParseTime(s, end)
		if err == nil && got.IsZero() && s != "0001-01-01T00:00:00Z" {
			t.Fatalf("ParseTime(%q) accepted it as the zero time", s)
		}
		if err != nil && !errors.Is(err, audit.ErrBadTime) {
			t.Fatalf("ParseTime(%q): error %v is not ErrBadTime", s, err)
		}
	})
}
