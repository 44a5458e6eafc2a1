package v1import

import (
	"context"
	"errors"
	"fmt"
	"time"

	"ledgerdesk/commands"
	"ledgerdesk/domain/cutover"
	"ledgerdesk/domain/ledger"
)

// ErrNoGoLive says the history holds no go-live date yet, so no V1 item can be judged.
var ErrNoGoLive = errors.New("no go-live date has been recorded yet")

// GoLive reads the go-live date from the cutover stream: the history, not configuration,
// is what every judgement of V1 against V2 uses.
func GoLive(ctx context.Context, deps commands.Deps) (ledger.Date, error) {
	s, _, err := commands.Load(ctx, deps, cutover.Decider, cutover.StreamID)
	if err != nil {
		return ledger.Date{}, fmt.Errorf("reading the go-live date: %w", err)
	}
	d, ok := s.GoLive()
	if !ok {
		return ledger.Date{}, fmt.Errorf("%w: start `ledgerdesk serve` once (it records LEDGERDESK_GO_LIVE)", ErrNoGoLive)
	}
	return d, nil
}

// GoLiveStatus is the cutover stream after EnsureGoLive.
type GoLiveStatus struct {
	GoLive ledger.Date
	// Scheduled and Rescheduled say what this call recorded, if anything.
	Scheduled, Rescheduled bool
	// CutoverRecorded says this call recorded the cutover; Cutover that it is on record.
	CutoverRecorded, Cutover bool
}

// EnsureGoLive makes the history agree with the deployment's go-live date: it records the
// date the first time, moves it while it is still in the future, and records the cutover
// once go-live day has begun in London. Moving a date that has passed is refused with
// cutover.ErrGoLivePassed: the earnings recorded since then already say which ledger they
// belong to. Running it again with the same date and time records nothing new.
func EnsureGoLive(ctx context.Context, deps commands.Deps, date ledger.Date, now time.Time, actor string) (GoLiveStatus, error) {
	meta := commands.Metadata{CommandID: commands.NewCommandID(), Actor: actor}
	res, err := commands.Execute(ctx, deps, cutover.Decider, cutover.StreamID, cutover.Command(cutover.ScheduleGoLive{Date: date, At: now}), meta)
	if err != nil {
		return GoLiveStatus{}, fmt.Errorf("go-live date %s: %w", date, err)
	}
	var st GoLiveStatus
	for _, e := range res.Events {
		switch e.(type) {
		case cutover.GoLiveScheduled:
			st.Scheduled = true
		case cutover.GoLiveRescheduled:
			st.Rescheduled = true
		}
	}
	s, _, err := commands.Load(ctx, deps, cutover.Decider, cutover.StreamID)
	if err != nil {
		return GoLiveStatus{}, err
	}
	st.GoLive, _ = s.GoLive()
	if s.PassedAt(now) && !s.CutoverHappened() {
		meta := commands.Metadata{CommandID: commands.NewCommandID(), Actor: actor}
		res, err := commands.Execute(ctx, deps, cutover.Decider, cutover.StreamID, cutover.Command(cutover.RecordCutover{At: now}), meta)
		if err != nil {
			return GoLiveStatus{}, fmt.Errorf("recording the cutover: %w", err)
		}
		st.CutoverRecorded = len(res.Events) > 0
	}
	st.Cutover = s.CutoverHappened() || s.PassedAt(now)
	return st, nil
}
