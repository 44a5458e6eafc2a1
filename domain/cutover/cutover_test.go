package cutover_test

import (
	"errors"
	"testing"
	"time"

	"ledgerdesk/domain/cutover"
	"ledgerdesk/domain/decider/decidertest"
	"ledgerdesk/domain/ledger"
)

var (
	feb3  = ledger.Date{Year: 2025, Month: time.February, Day: 3}
	feb10 = ledger.Date{Year: 2025, Month: time.February, Day: 10}
	jan20 = ledger.Date{Year: 2025, Month: time.January, Day: 20}
)

// london is a wall-clock time in Europe/London.
func london(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, ledger.London)
}

func spec() *decidertest.Spec[cutover.State, cutover.Command, cutover.Event] {
	return decidertest.For(cutover.Decide, cutover.Evolve)
}

var scheduled = cutover.GoLiveScheduled{Date: feb3, At: london(2025, 1, 6, 9, 0)}

func TestTheFirstGoLiveDateIsScheduled(t *testing.T) {
	at := london(2025, 1, 6, 9, 0)
	spec().When(cutover.ScheduleGoLive{Date: feb3, At: at}).
		Then(t, cutover.GoLiveScheduled{Date: feb3, At: at})
}

func TestAFirstGoLiveDateInThePastIsStillRecorded(t *testing.T) {
	at := london(2025, 3, 1, 9, 0)
	spec().When(cutover.ScheduleGoLive{Date: feb3, At: at}).
		Then(t, cutover.GoLiveScheduled{Date: feb3, At: at})
}

func TestSchedulingTheSameDateAgainRecordsNothing(t *testing.T) {
	for _, at := range []time.Time{london(2025, 1, 7, 9, 0), london(2025, 6, 1, 9, 0)} {
		spec().Given(scheduled).When(cutover.ScheduleGoLive{Date: feb3, At: at}).Then(t)
	}
	spec().Given(scheduled, cutover.CutoverHappened{GoLive: feb3, StartedAt: feb3.StartInLondon(), At: london(2025, 2, 3, 0, 5)}).
		When(cutover.ScheduleGoLive{Date: feb3, At: london(2025, 6, 1, 9, 0)}).Then(t)
}

func TestAGoLiveDateStillAheadCanMoveToAnotherFutureDate(t *testing.T) {
	for _, tc := range []struct {
		name string
		to   ledger.Date
		at   time.Time
	}{
		{"later", feb10, london(2025, 1, 10, 9, 0)},
		{"earlier but still ahead", jan20, london(2025, 1, 10, 9, 0)},
		{"in the last minute before go-live day", feb10, london(2025, 2, 2, 23, 59)},
		{"to tomorrow", ledger.Date{Year: 2025, Month: time.January, Day: 11}, london(2025, 1, 10, 23, 59)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec().Given(scheduled).When(cutover.ScheduleGoLive{Date: tc.to, At: tc.at}).
				Then(t, cutover.GoLiveRescheduled{From: feb3, To: tc.to, At: tc.at})
		})
	}
}

func TestAGoLiveDateThatHasBegunInLondonCannotMove(t *testing.T) {
	for _, tc := range []struct {
		name  string
		given []cutover.Event
		at    time.Time
	}{
		{"at midnight starting go-live day", []cutover.Event{scheduled}, london(2025, 2, 3, 0, 0)},
		{"later on go-live day", []cutover.Event{scheduled}, london(2025, 2, 3, 15, 0)},
		{"weeks after", []cutover.Event{scheduled}, london(2025, 3, 3, 15, 0)},
		// 23:30 UTC on 2 July is 00:30 on 3 July in British Summer Time.
		{"in summer time, by London's clock not UTC's",
			[]cutover.Event{cutover.GoLiveScheduled{Date: ledger.Date{Year: 2025, Month: time.July, Day: 3}, At: london(2025, 6, 1, 9, 0)}},
			time.Date(2025, 7, 2, 23, 30, 0, 0, time.UTC)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec().Given(tc.given...).When(cutover.ScheduleGoLive{Date: ledger.Date{Year: 2025, Month: time.December, Day: 1}, At: tc.at}).
				ThenError(t, cutover.ErrGoLivePassed)
		})
	}
}

func TestAGoLiveDateCannotMoveOnceTheCutoverIsRecorded(t *testing.T) {
	// Even with a clock that claims to be earlier, the recorded cutover is the fact that counts.
	spec().Given(scheduled, cutover.CutoverHappened{GoLive: feb3, StartedAt: feb3.StartInLondon(), At: london(2025, 2, 3, 0, 5)}).
		When(cutover.ScheduleGoLive{Date: feb10, At: london(2025, 1, 1, 9, 0)}).
		ThenError(t, cutover.ErrGoLivePassed)
}

func TestAGoLiveDateCannotMoveToADayThatHasBegun(t *testing.T) {
	for _, tc := range []struct {
		name string
		to   ledger.Date
	}{
		{"today", ledger.Date{Year: 2025, Month: time.January, Day: 10}},
		{"yesterday", ledger.Date{Year: 2025, Month: time.January, Day: 9}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec().Given(scheduled).When(cutover.ScheduleGoLive{Date: tc.to, At: london(2025, 1, 10, 9, 0)}).
				ThenError(t, cutover.ErrGoLiveInPast)
			spec().Given(scheduled).When(cutover.ScheduleGoLive{Date: tc.to, At: london(2025, 1, 10, 9, 0)}).
				ThenError(t, cutover.ErrGoLivePassed)
		})
	}
	if errors.Is(cutover.ErrGoLivePassed, cutover.ErrGoLiveInPast) {
		t.Fatal("a current date that has passed must not read as a new date in the past")
	}
}

func TestScheduleGoLiveRejectsMissingOrImpossibleFields(t *testing.T) {
	at := london(2025, 1, 6, 9, 0)
	for _, tc := range []struct {
		name string
		cmd  cutover.ScheduleGoLive
	}{
		{"no date", cutover.ScheduleGoLive{At: at}},
		{"30 February", cutover.ScheduleGoLive{Date: ledger.Date{Year: 2025, Month: time.February, Day: 30}, At: at}},
		{"month 13", cutover.ScheduleGoLive{Date: ledger.Date{Year: 2025, Month: 13, Day: 1}, At: at}},
		{"day 0", cutover.ScheduleGoLive{Date: ledger.Date{Year: 2025, Month: 2, Day: 0}, At: at}},
		{"year 25", cutover.ScheduleGoLive{Date: ledger.Date{Year: 25, Month: 2, Day: 3}, At: at}},
		{"year 20250", cutover.ScheduleGoLive{Date: ledger.Date{Year: 20250, Month: 2, Day: 3}, At: at}},
		{"no time", cutover.ScheduleGoLive{Date: feb3}},
		{"time in year 1", cutover.ScheduleGoLive{Date: feb3, At: time.Date(1, 1, 2, 0, 0, 0, 0, time.UTC)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec().When(tc.cmd).ThenError(t, cutover.ErrInvalidInput)
			spec().Given(scheduled).When(tc.cmd).ThenError(t, cutover.ErrInvalidInput)
		})
	}
}

func TestTheCutoverIsRecordedOnceGoLiveDayBegins(t *testing.T) {
	at := london(2025, 2, 3, 0, 0)
	spec().Given(scheduled).When(cutover.RecordCutover{At: at}).
		Then(t, cutover.CutoverHappened{GoLive: feb3, StartedAt: london(2025, 2, 3, 0, 0), At: at})
	later := london(2025, 2, 20, 8, 0)
	spec().Given(scheduled).When(cutover.RecordCutover{At: later}).
		Then(t, cutover.CutoverHappened{GoLive: feb3, StartedAt: london(2025, 2, 3, 0, 0), At: later})
}

func TestTheCutoverUsesTheRescheduledDate(t *testing.T) {
	at := london(2025, 2, 10, 1, 0)
	spec().Given(scheduled, cutover.GoLiveRescheduled{From: feb3, To: feb10, At: london(2025, 1, 10, 9, 0)}).
		When(cutover.RecordCutover{At: at}).
		Then(t, cutover.CutoverHappened{GoLive: feb10, StartedAt: feb10.StartInLondon(), At: at})
}

func TestRecordingTheCutoverTwiceRecordsNothing(t *testing.T) {
	spec().Given(scheduled, cutover.CutoverHappened{GoLive: feb3, StartedAt: feb3.StartInLondon(), At: london(2025, 2, 3, 0, 5)}).
		When(cutover.RecordCutover{At: london(2025, 2, 4, 0, 5)}).Then(t)
}

func TestTheCutoverCannotBeRecordedBeforeGoLiveDay(t *testing.T) {
	spec().Given(scheduled).When(cutover.RecordCutover{At: london(2025, 2, 2, 23, 59)}).
		ThenError(t, cutover.ErrGoLiveNotReached)
}

func TestTheCutoverCannotBeRecordedWithoutAGoLiveDate(t *testing.T) {
	spec().When(cutover.RecordCutover{At: london(2025, 2, 4, 0, 0)}).ThenError(t, cutover.ErrGoLiveNotScheduled)
}

func TestRecordCutoverNeedsATime(t *testing.T) {
	spec().Given(scheduled).When(cutover.RecordCutover{}).ThenError(t, cutover.ErrInvalidInput)
}

func TestANilCommandIsRejectedNotPanicked(t *testing.T) {
	spec().When(nil).ThenError(t, cutover.ErrUnknownCommand)
}

func TestStateExposesTheGoLiveDate(t *testing.T) {
	if _, ok := cutover.Decider.Fold(nil).GoLive(); ok {
		t.Fatal("an empty stream has no go-live date")
	}
	if _, ok := cutover.Decider.Fold(nil).LedgerFor(jan20); ok {
		t.Fatal("without a go-live date no ledger can be decided")
	}
	s := cutover.Decider.Fold([]cutover.Event{scheduled, cutover.GoLiveRescheduled{From: feb3, To: feb10, At: london(2025, 1, 10, 9, 0)}})
	if d, ok := s.GoLive(); !ok || d != feb10 {
		t.Fatalf("GoLive = %v, %v; want %v", d, ok, feb10)
	}
	if l, _ := s.LedgerFor(feb3); l != ledger.V1 {
		t.Fatalf("work on 3 Feb with go-live 10 Feb belongs to %s", l)
	}
	if l, _ := s.LedgerFor(feb10); l != ledger.V2 {
		t.Fatalf("work on go-live day belongs to %s", l)
	}
	if s.PassedAt(london(2025, 2, 9, 23, 59)) || !s.PassedAt(london(2025, 2, 10, 0, 0)) {
		t.Fatal("go-live passes at midnight London time")
	}
	if s.CutoverHappened() {
		t.Fatal("no cutover was recorded")
	}
}

func TestEventTypesAreDistinctAndVersioned(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range cutover.EventTypes() {
		name := e.EventType()
		if seen[name] || len(name) < 4 || name[len(name)-3:] != ".v1" || name[:8] != "cutover." {
			t.Errorf("bad or duplicate event type %q", name)
		}
		seen[name] = true
	}
	if len(seen) != 3 {
		t.Fatalf("registry lists %d event types, want 3", len(seen))
	}
}
