package audit

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// London is where the practice is: a time written without a zone means London time.
var London = mustLondon()

func mustLondon() *time.Location {
	l, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic("audit: the Europe/London time zone is missing: " + err.Error())
	}
	return l
}

// ErrBadTime says a time given on the command line could not be read.
var ErrBadTime = errors.New("cannot read the time")

// ParseTime reads a moment as auditors write it: RFC 3339 ("2025-02-03T09:30:00Z"), a
// London wall-clock time ("2025-02-03 09:30" or "2025-02-03T09:30:00"), or a bare date.
// A bare date means the start of that London day, or with endOfDay the last instant of it,
// so "as of 3 Feb" includes everything recorded that day and "--to 2025-02-03" too.
func ParseTime(s string, endOfDay bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("%w: it is empty", ErrBadTime)
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, London); err == nil {
			return t, nil
		}
	}
	if d, err := time.ParseInLocation("2006-01-02", s, London); err == nil {
		if endOfDay {
			return d.AddDate(0, 0, 1).Add(-time.Nanosecond), nil
		}
		return d, nil
	}
	return time.Time{}, fmt.Errorf("%w: %q: write 2025-02-03, 2025-02-03 09:30 (London time) or 2025-02-03T09:30:00Z", ErrBadTime, s)
}
