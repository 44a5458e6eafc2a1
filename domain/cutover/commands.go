package cutover

import (
	"time"

	"ledgerdesk/domain/ledger"
)

// StreamID is the single stream that holds the practice's go-live date.
const StreamID = "cutover-golive"

// Command is anything the cutover stream decides on.
type Command interface{ isCutoverCommand() }

// ScheduleGoLive sets the go-live date, or moves it while it is still in the future.
// Scheduling the date already held is a no-op, so a deployment can apply its setting on
// every start.
type ScheduleGoLive struct {
	Date ledger.Date
	At   time.Time
}

// RecordCutover notes that go-live day has begun. A scheduler may send it repeatedly:
// only the first one on or after go-live records anything.
type RecordCutover struct {
	At time.Time
}

func (ScheduleGoLive) isCutoverCommand() {}
func (RecordCutover) isCutoverCommand()  {}
