package payouts

import (
	"io"
	"time"

	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
)

// BankFile is a payout run as the bank is told it: one debit from the practice's
// account, paid on one date, split into one credit transfer per line. Export lays a run
// out as a BankFile and a BankFileWriter puts it in the bank's format.
type BankFile struct {
	// MessageID identifies the file to the bank; unique per file.
	MessageID string
	// CreatedAt is when the file was first made; a re-export repeats it.
	CreatedAt time.Time
	// Debtor is the practice's own account.
	Debtor Party
	// RequestedExecutionDate is the day the bank should pay.
	RequestedExecutionDate ledger.Date
	// PaymentInfoID identifies the file's one payment instruction.
	PaymentInfoID string
	Lines         []BankLine
}

// BankLine is one credit transfer to one clinician.
type BankLine struct {
	// EndToEndID travels with the payment and back in the bank's reports: the key that
	// reconciliation matches on. Unique within the file.
	EndToEndID string
	Creditor   Party
	// Amount is in GBP and more than zero.
	Amount money.Amount
	// RemittanceInfo is free text for the payee's statement.
	RemittanceInfo string
}

// Party is an account holder at a UK bank.
type Party struct {
	// Name is the account holder's name.
	Name string
	// SortCode is 6 digits with no dashes, such as "123456".
	SortCode string
	// AccountNumber is 8 digits.
	AccountNumber string
}

// Total is the sum of the lines' amounts.
func (f BankFile) Total() money.Amount {
	t := money.Zero
	for _, l := range f.Lines {
		t = t.Add(l.Amount)
	}
	return t
}

// BankFileWriter writes a BankFile in the bank's format (adapters/pain001.Writer: ISO
// 20022 pain.001). It never shortens or replaces anything to make a file fit.
type BankFileWriter interface {
	// Validate says every reason f cannot be written, naming the line and the field; nil
	// when Write would succeed.
	Validate(f BankFile) error
	// Write validates f and writes it to w in a single Write, or writes nothing if f is
	// invalid. The same BankFile always gives the same bytes: a re-export is compared
	// with the first byte for byte.
	Write(w io.Writer, f BankFile) error
}
