// Package ledger says which back office owns a piece of work: V1, the legacy system that the
// accounts department settles by hand, or V2, this one. The answer is decided once, when the
// earning is recorded, from the work date in Europe/London against the go-live date, and is
// then carried in the event: it is never recomputed from configuration later.
package ledger

import (
	"errors"
	"fmt"
	"time"
	_ "time/tzdata" // the decision must not depend on the host having a zoneinfo database
)

// Ledger is "v1" or "v2".
type Ledger string

const (
	V1 Ledger = "v1"
	V2 Ledger = "v2"
)

// ErrInvalidDate is wrapped by every date parse failure.
var ErrInvalidDate = errors.New("invalid date")

// London is the practice's civil time zone.
var London = mustLoad("Europe/London")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// Date is a calendar date with no time of day and no zone: the practice's "3rd Feb".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate reads YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%w: %q is not a YYYY-MM-DD date", ErrInvalidDate, s)
	}
	return DateOf(t), nil
}

// DateOf is the calendar date of t as written, in t's own location.
func DateOf(t time.Time) Date { y, m, d := t.Date(); return Date{y, m, d} }

// LondonDate is the calendar date in Europe/London at instant t: a consultation at 23:30 UTC
// on 2 February in summer time is already 3 February in London.
func LondonDate(t time.Time) Date { return DateOf(t.In(London)) }

func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// IsZero reports an unset date.
func (d Date) IsZero() bool { return d == Date{} }

// Before reports whether d is strictly earlier than e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// Compare is -1, 0 or +1.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return sign(d.Year - e.Year)
	case d.Month != e.Month:
		return sign(int(d.Month) - int(e.Month))
	default:
		return sign(d.Day - e.Day)
	}
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// StartInLondon is midnight at the start of d in Europe/London, as an instant.
func (d Date) StartInLondon() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, London) }

// MarshalText writes YYYY-MM-DD, and an unset date as "" so that it reads back as unset.
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	return []byte(d.String()), nil
}

// UnmarshalText reads YYYY-MM-DD, or "" as an unset date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// For decides the ledger of work done on workDate: before go-live is V1, on or after is V2.
func For(workDate, goLive Date) Ledger {
	if workDate.Before(goLive) {
		return V1
	}
	return V2
}

// ForInstant decides the ledger of work done at instant t, by its date in Europe/London.
func ForInstant(t time.Time, goLive Date) Ledger { return For(LondonDate(t), goLive) }
