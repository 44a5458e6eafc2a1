package pain001

import (
	"io"

	"ledgerdesk/commands/payouts"
)

// Writer writes payout runs' bank files as pain.001: the payouts.BankFileWriter the
// payout run is given in production.
type Writer struct{}

var _ payouts.BankFileWriter = Writer{}

// Validate is Validate of the run's file as pain.001 lays it out.
func (Writer) Validate(f payouts.BankFile) error { return Validate(FromPayout(f)) }

// Write is Write of the run's file as pain.001 lays it out.
func (Writer) Write(w io.Writer, f payouts.BankFile) error { return Write(w, FromPayout(f)) }

// FromPayout is a payout run's bank file as a pain.001 File: the same fields, with no
// InstructionID (a run's lines are identified by their end-to-end id alone).
func FromPayout(f payouts.BankFile) File {
	out := File{
		MessageID:              f.MessageID,
		CreatedAt:              f.CreatedAt,
		Debtor:                 Party(f.Debtor),
		RequestedExecutionDate: f.RequestedExecutionDate,
		PaymentInfoID:          f.PaymentInfoID,
	}
	if f.Lines != nil {
		out.Lines = make([]Line, len(f.Lines))
	}
	for i, l := range f.Lines {
		out.Lines[i] = Line{EndToEndID: l.EndToEndID, Creditor: Party(l.Creditor), Amount: l.Amount, RemittanceInfo: l.RemittanceInfo}
	}
	return out
}
