package pain001

import (
	"time"

	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
)

// Namespace is the XML namespace of a pain.001.001.09 document.
const Namespace = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"

// The fixed vocabulary of a UK domestic payout.
const (
	// AccountScheme names the proprietary account scheme: sort code then account number.
	AccountScheme = "SortCodeAccountNumber"
	// ClearingSystemCode is the ISO external code of the UK Domestic Sort Code system.
	ClearingSystemCode = "GBDSC"
	// Currency is the only currency a payout is paid in.
	Currency = "GBP"
	// PaymentMethod is credit transfer.
	PaymentMethod = "TRF"
)

// Limits. The text limits are the schema's (Max35Text, Max140Text, counted in characters);
// the others keep one payout run, and one file read back, to a size a bank and a clerk can handle.
const (
	MaxIDLength   = 35
	MaxTextLength = 140
	// MaxLines is the most credit transfers in one file: a payout has one line per clinician.
	MaxLines = 10_000
	// MaxFileBytes is the largest document Parse will read.
	MaxFileBytes = 32 << 20
)

// File is one payout run: a single debit from the practice's account, paid on one date,
// split into one credit transfer per line.
type File struct {
	// MessageID identifies the file to the bank (GrpHdr/MsgId); unique per file.
	MessageID string
	// CreatedAt is written to the second (GrpHdr/CreDtTm, in UTC); Parse returns it in UTC.
	CreatedAt time.Time
	// Debtor is the practice's own account.
	Debtor Party
	// RequestedExecutionDate is the day the bank should pay; not before CreatedAt's date in London.
	RequestedExecutionDate ledger.Date
	// PaymentInfoID identifies the one payment instruction block (PmtInf/PmtInfId).
	PaymentInfoID string
	Lines         []Line
}

// Line is one credit transfer to one clinician.
type Line struct {
	// EndToEndID travels with the payment to the payee's bank and back in reports: the key
	// that reconciliation matches on. Unique within the file.
	EndToEndID string
	// InstructionID is optional (PmtId/InstrId); unique within the file when given.
	InstructionID string
	Creditor      Party
	// Amount is in GBP and must be more than zero.
	Amount money.Amount
	// RemittanceInfo is optional free text for the payee's statement (RmtInf/Ustrd).
	RemittanceInfo string
}

// Party is an account holder at a UK bank.
type Party struct {
	// Name is the account holder's name, at most 140 characters.
	Name string
	// SortCode is 6 digits with no dashes, such as "123456".
	SortCode string
	// AccountNumber is 8 digits.
	AccountNumber string
}

// Total is the sum of the lines' amounts: the file's control sum.
func (f File) Total() money.Amount {
	t := money.Zero
	for _, l := range f.Lines {
		t = t.Add(l.Amount)
	}
	return t
}
