package journal

import (
	"fmt"
	"time"

	"ledgerdesk/domain/earnings"
	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
)

// The accounts; the ones ending in ":" are per clinician or per patient.
const (
	FeeExpense        = "fee_expense"
	ClinicianPending  = "clinician_pending:"
	ClinicianPayable  = "clinician_payable:"
	ClinicianInPayout = "clinician_in_payout:"
	Bank              = "bank"
	PatientReceivable = "patient_receivable:"
	Revenue           = "revenue"
	V1WorkExpense     = "v1_work_expense"
	V1ClinicianOwed   = "v1_clinician_owed:"
)

// Entry is one side of a posting: a positive amount is a debit, a negative one a credit.
type Entry struct {
	Account string
	Amount  money.Amount
	// Ref is what the entry is about: an earning, an invoice or a payout id.
	Ref string
}

// Posting is a balanced set of entries made for one reason.
type Posting struct {
	Memo    string
	At      time.Time
	Entries []Entry
}

// Balanced reports whether the entries add up to zero.
func (p Posting) Balanced() bool {
	t := money.Zero
	for _, e := range p.Entries {
		t = t.Add(e.Amount)
	}
	return t.IsZero()
}

// transfer moves amount from credit to debit: the only way postings are built, which is
// what keeps every posting, and so the trial balance, at zero.
func transfer(memo string, at time.Time, debit, credit string, amount money.Amount, ref string) Posting {
	return Posting{Memo: memo, At: at, Entries: []Entry{
		{Account: debit, Amount: amount, Ref: ref},
		{Account: credit, Amount: amount.Neg(), Ref: ref},
	}}
}

// Book is what the journal remembers between events: the invoices and the billable-item
// earnings still pending, so that a void can write off what it will never release.
type Book interface {
	// Invoice returns what the journal knows of an invoice.
	Invoice(id string) (InvoiceFacts, error)
	// OpenItems lists the billable-item earnings on an invoice that are still pending.
	OpenItems(invoiceID string) ([]OpenItem, error)
}

// InvoiceFacts is an invoice as far as the book needs it.
type InvoiceFacts struct {
	PatientID string
	// IssuedTotal is the amount receivable, zero while a draft.
	IssuedTotal money.Amount
	Voided      bool
}

// OpenItem is a pending billable-item earning.
type OpenItem struct {
	EarningID   string
	ClinicianID string
	Ledger      ledger.Ledger
	Amount      money.Amount
}

// Post returns the postings an event makes. Events that move no money make none.
func Post(ev any, book Book) ([]Posting, error) {
	switch ev := ev.(type) {
	case earnings.Accrued:
		accrual := accrued(ev)
		if ev.Source.Kind != earnings.SourceBillableItem {
			return []Posting{accrual}, nil
		}
		inv, err := book.Invoice(ev.Source.InvoiceID)
		if err != nil {
			return nil, err
		}
		if inv.Voided {
			return []Posting{accrual, writeOff(OpenItem{ev.EarningID, ev.ClinicianID, ev.Ledger, ev.Amount}, ev.Source.InvoiceID, ev.AccruedAt)}, nil
		}
		return []Posting{accrual}, nil
	case earnings.Released:
		return []Posting{transfer(fmt.Sprintf("%s released (%s)", ev.Source, ev.Reason), ev.ReleasedAt,
			ClinicianPending+ev.ClinicianID, ClinicianPayable+ev.ClinicianID, ev.Amount, ev.EarningID)}, nil
	case earnings.IncludedInPayout:
		return []Posting{transfer(fmt.Sprintf("%d earning(s) included in payout %s", len(ev.EarningIDs), ev.PayoutID), ev.IncludedAt,
			ClinicianPayable+ev.ClinicianID, ClinicianInPayout+ev.ClinicianID, ev.Total, ev.PayoutID)}, nil
	case earnings.PaidOut:
		return []Posting{transfer(fmt.Sprintf("payout %s paid by the bank", ev.PayoutID), ev.PaidAt,
			ClinicianInPayout+ev.ClinicianID, Bank, ev.Total, ev.PayoutID)}, nil
	case earnings.ReturnedFromPayout:
		return []Posting{transfer(fmt.Sprintf("payout %s returned: %s", ev.PayoutID, ev.Reason), ev.ReturnedAt,
			ClinicianInPayout+ev.ClinicianID, ClinicianPayable+ev.ClinicianID, ev.Total, ev.PayoutID)}, nil
	case invoice.Issued:
		return []Posting{transfer("invoice "+ev.InvoiceID+" issued", ev.IssuedAt,
			PatientReceivable+ev.PatientID, Revenue, ev.Total, ev.InvoiceID)}, nil
	case invoice.PaymentRecorded:
		return []Posting{transfer(fmt.Sprintf("payment %s on invoice %s", ev.PaymentID, ev.InvoiceID), ev.PaidAt,
			Bank, PatientReceivable+ev.PatientID, ev.Amount, ev.InvoiceID)}, nil
	case invoice.Voided:
		inv, err := book.Invoice(ev.InvoiceID)
		if err != nil {
			return nil, err
		}
		var ps []Posting
		if inv.IssuedTotal.IsPositive() {
			ps = append(ps, transfer("invoice "+ev.InvoiceID+" voided", ev.VoidedAt,
				Revenue, PatientReceivable+ev.PatientID, inv.IssuedTotal, ev.InvoiceID))
		}
		open, err := book.OpenItems(ev.InvoiceID)
		if err != nil {
			return nil, err
		}
		for _, it := range open {
			ps = append(ps, writeOff(it, ev.InvoiceID, ev.VoidedAt))
		}
		return ps, nil
	}
	return nil, nil
}

func accrued(ev earnings.Accrued) Posting {
	if ev.Ledger == ledger.V1 {
		return transfer(fmt.Sprintf("%s accrued (V1 work of %s)", ev.Source, ev.WorkDate), ev.AccruedAt,
			V1WorkExpense, V1ClinicianOwed+ev.ClinicianID, ev.Amount, ev.EarningID)
	}
	return transfer(fmt.Sprintf("%s accrued (work of %s)", ev.Source, ev.WorkDate), ev.AccruedAt,
		FeeExpense, ClinicianPending+ev.ClinicianID, ev.Amount, ev.EarningID)
}

// writeOff reverses the accrual of an item whose invoice was voided.
func writeOff(it OpenItem, invoiceID string, at time.Time) Posting {
	memo := fmt.Sprintf("invoice %s voided: billable item earning written off", invoiceID)
	if it.Ledger == ledger.V1 {
		return transfer(memo, at, V1ClinicianOwed+it.ClinicianID, V1WorkExpense, it.Amount, it.EarningID)
	}
	return transfer(memo, at, ClinicianPending+it.ClinicianID, FeeExpense, it.Amount, it.EarningID)
}
