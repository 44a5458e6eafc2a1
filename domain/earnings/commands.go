package earnings

import (
	"time"

	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
)

// Command is one of the commands below.
type Command interface{ isEarningsCommand() }

// Accrue records a pending payment for the clinician. WorkDate is the Europe/London date of
// the work and GoLive the deployment's go-live date: the decider derives the ledger from
// them once, here, and the event carries it for ever after.
type Accrue struct {
	EarningID   string
	ClinicianID string
	Source      Source
	Amount      money.Amount
	WorkDate    ledger.Date
	GoLive      ledger.Date
	At          time.Time
}

// Release frees a pending earning for payout. The earning is named by EarningID or, when
// that is empty, by the work it pays for (Source), which is all a policy reacting to a
// submitted form or a paid invoice knows.
type Release struct {
	EarningID string
	Source    Source
	Reason    ReleaseReason
	At        time.Time
}

// IncludeInPayout puts released earnings on the clinician's line of a payout run.
type IncludeInPayout struct {
	PayoutID   string
	EarningIDs []string
	At         time.Time
}

// MarkPaid records that the bank paid the clinician's line of the payout.
type MarkPaid struct {
	PayoutID string
	At       time.Time
}

// ReturnFromPayout records that the bank failed the clinician's line: its earnings go back
// to released and unpaid, to be included in a later payout.
type ReturnFromPayout struct {
	PayoutID string
	Reason   string
	At       time.Time
}

func (Accrue) isEarningsCommand()           {}
func (Release) isEarningsCommand()          {}
func (IncludeInPayout) isEarningsCommand()  {}
func (MarkPaid) isEarningsCommand()         {}
func (ReturnFromPayout) isEarningsCommand() {}
