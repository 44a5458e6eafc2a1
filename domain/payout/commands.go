package payout

import (
	"time"

	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
)

// Command is one of the commands below.
type Command interface{ isPayoutCommand() }

// Start opens a run for earnings released on or before Cutoff.
type Start struct {
	PayoutID    string
	Cutoff      ledger.Date
	RequestedBy string
	At          time.Time
}

// Payee is the bank account a clinician is paid into. Sort code and account number may be
// written with spaces or hyphens; they are stored as digits.
type Payee struct {
	Name          string
	SortCode      string
	AccountNumber string
}

// AddLine pays one clinician Amount for the listed earnings.
type AddLine struct {
	PayoutID    string
	ClinicianID string
	EarningIDs  []string
	Amount      money.Amount
	Payee       Payee
	At          time.Time
}

// Finalise fixes the lines and the total.
type Finalise struct {
	PayoutID string
	At       time.Time
}

// Export records the bank file written for the run: its pain.001 message id and the SHA-256
// of its bytes, so the file sent can be proved to be the file recorded.
type Export struct {
	PayoutID  string
	MessageID string
	SHA256    string
	At        time.Time
}

// MarkSubmitted records that the file was sent to the bank.
type MarkSubmitted struct {
	PayoutID string
	At       time.Time
}

// MarkSettled records that the bank paid every line that has not failed.
type MarkSettled struct {
	PayoutID string
	At       time.Time
}

// FailLine records that the bank refused one clinician's line.
type FailLine struct {
	PayoutID    string
	ClinicianID string
	Reason      string
	At          time.Time
}

// Abandon gives up a run before it reaches the bank; its earnings return to released.
type Abandon struct {
	PayoutID string
	Reason   string
	At       time.Time
}

func (Start) isPayoutCommand()         {}
func (AddLine) isPayoutCommand()       {}
func (Finalise) isPayoutCommand()      {}
func (Export) isPayoutCommand()        {}
func (MarkSubmitted) isPayoutCommand() {}
func (MarkSettled) isPayoutCommand()   {}
func (FailLine) isPayoutCommand()      {}
func (Abandon) isPayoutCommand()       {}
