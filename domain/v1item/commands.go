package v1item

import (
	"time"

	"ledgerdesk/domain/ledger"
)

// Command is anything a V1 item's stream decides on.
type Command interface{ isV1ItemCommand() }

// Import brings one row of V1's export in. GoLive is the practice's go-live date at the
// time of import: an item dated on or after it is V2 work and is refused.
type Import struct {
	Figures
	GoLive     ledger.Date
	ImportedBy string
	At         time.Time
	SourceFile string
	SourceLine int
}

// TickOff records that the item has been settled. Note is optional.
type TickOff struct {
	By   string
	At   time.Time
	Note string
}

// UndoTickOff withdraws a tick; Reason is required, because an auditor will ask.
type UndoTickOff struct {
	By     string
	At     time.Time
	Reason string
}

func (Import) isV1ItemCommand()      {}
func (TickOff) isV1ItemCommand()     {}
func (UndoTickOff) isV1ItemCommand() {}
