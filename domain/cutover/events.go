package cutover

import (
	"time"

	"ledgerdesk/domain/decider"
	"ledgerdesk/domain/ledger"
)

// Event is any fact in the cutover stream.
type Event interface {
	decider.Event
	isCutoverEvent()
}

// GoLiveScheduled is the first go-live date the practice set.
type GoLiveScheduled struct {
	Date ledger.Date `json:"date"`
	At   time.Time   `json:"at"`
}

// GoLiveRescheduled moves a go-live date that had not yet begun to a later-than-today date.
type GoLiveRescheduled struct {
	From ledger.Date `json:"from"`
	To   ledger.Date `json:"to"`
	At   time.Time   `json:"at"`
}

// CutoverHappened records that go-live day has begun: from StartedAt (midnight in
// Europe/London on GoLive) new work belongs to V2. At is when it was recorded.
type CutoverHappened struct {
	GoLive    ledger.Date `json:"go_live"`
	StartedAt time.Time   `json:"started_at"`
	At        time.Time   `json:"at"`
}

func (GoLiveScheduled) EventType() string   { return "cutover.go_live_scheduled.v1" }
func (GoLiveRescheduled) EventType() string { return "cutover.go_live_rescheduled.v1" }
func (CutoverHappened) EventType() string   { return "cutover.cutover_happened.v1" }

func (GoLiveScheduled) isCutoverEvent()   {}
func (GoLiveRescheduled) isCutoverEvent() {}
func (CutoverHappened) isCutoverEvent()   {}

// EventTypes lists one zero value of every event type, for the serialization registry.
func EventTypes() []Event {
	return []Event{GoLiveScheduled{}, GoLiveRescheduled{}, CutoverHappened{}}
}
