package v1item

import (
	"time"

	"ledgerdesk/domain/ledger"
)

// Command is anything a V1 item's stream decides on.
type Command interface{ isV1ItemCommand() }

// Import brings one row of V1's export in. GoLive is the practice's go-live date at the
// time of import: an item dated on or after it is imported all the same (it is in V1's
// books) with its ledger recorded as V2, so that reconciliation shows it as an exception.
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

// RecordConflict records figures for this item that could not be imported because they
// disagree: with each other (one file giving the reference different figures) or with the
// item on record. Every variant must name the same reference.
type RecordConflict struct {
	Variants   []Variant
	SourceFile string
	By         string
	At         time.Time
}

// Variant is one version of an item's figures and the lines of the file that gave it.
type Variant struct {
	Figures
	Lines []int
}

// Limits on one conflict. A reference given more different figures than MaxVariants in one
// file is not a disagreement to resolve by hand but a broken export; MaxConflictLines
// bounds the lines listed for one variant.
const (
	MaxVariants      = 100
	MaxConflictLines = 1000
)

func (Import) isV1ItemCommand()         {}
func (TickOff) isV1ItemCommand()        {}
func (UndoTickOff) isV1ItemCommand()    {}
func (RecordConflict) isV1ItemCommand() {}
