package cutover

import (
	"fmt"
	"time"

	"ledgerdesk/domain/check"
	"ledgerdesk/domain/ledger"
)

// Limits on dates: a go-live outside this century is a typing mistake, and keeping years
// to four digits keeps every date and instant round-tripping through JSON.
const (
	MinYear = 2000
	MaxYear = 2099
)

// Decide turns a command into events, or rejects it with no events.
func Decide(s State, c Command) ([]Event, error) {
	switch c := c.(type) {
	case ScheduleGoLive:
		return scheduleGoLive(s, c)
	case RecordCutover:
		return recordCutover(s, c)
	default:
		return nil, fmt.Errorf("%w: %T", ErrUnknownCommand, c)
	}
}

func scheduleGoLive(s State, c ScheduleGoLive) ([]Event, error) {
	if err := checkDate(c.Date); err != nil {
		return nil, err
	}
	if err := checkAt(c.At); err != nil {
		return nil, err
	}
	if !s.scheduled {
		// A first date in the past is allowed: the system may be installed after the
		// practice's go-live and must still record when it was.
		return []Event{GoLiveScheduled(c)}, nil
	}
	if c.Date == s.goLive {
		return nil, nil
	}
	if s.cutover || hasBegun(s.goLive, c.At) {
		return nil, fmt.Errorf("%w: field Date: go-live day %s began at midnight London time, before %s, so it can no longer move to %s",
			ErrGoLivePassed, s.goLive, londonTime(c.At), c.Date)
	}
	if hasBegun(c.Date, c.At) {
		return nil, fmt.Errorf("%w: field Date: %s has already begun in London at %s; choose a later day",
			ErrGoLiveInPast, c.Date, londonTime(c.At))
	}
	return []Event{GoLiveRescheduled{From: s.goLive, To: c.Date, At: c.At}}, nil
}

func recordCutover(s State, c RecordCutover) ([]Event, error) {
	if err := checkAt(c.At); err != nil {
		return nil, err
	}
	if !s.scheduled {
		return nil, fmt.Errorf("%w: schedule a go-live date before recording the cutover", ErrGoLiveNotScheduled)
	}
	if s.cutover {
		return nil, nil
	}
	if !hasBegun(s.goLive, c.At) {
		return nil, fmt.Errorf("%w: field At: %s is before go-live day %s begins in London",
			ErrGoLiveNotReached, londonTime(c.At), s.goLive)
	}
	return []Event{CutoverHappened{GoLive: s.goLive, StartedAt: s.goLive.StartInLondon(), At: c.At}}, nil
}

// The field checks are shared by every aggregate (domain/check); these name this
// aggregate's sentinel and its narrower range of years.
func checkDate(d ledger.Date) error {
	return check.DateBetween(ErrInvalidInput, "Date", d, MinYear, MaxYear)
}

func checkAt(t time.Time) error {
	if err := check.Time(ErrInvalidInput, "At", t); err != nil {
		return err
	}
	if y := t.UTC().Year(); y < MinYear || y > MaxYear {
		return check.Failf(ErrInvalidInput, "At", "year %d is outside %d–%d", y, MinYear, MaxYear)
	}
	return nil
}

func londonTime(t time.Time) string { return t.In(ledger.London).Format("2006-01-02 15:04 MST") }
