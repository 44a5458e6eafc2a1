package payouts_test

import (
	"bytes"
	"testing"
	"time"

	"ledgerdesk/adapters/pain001"
	"ledgerdesk/commands/payouts"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
)

// FuzzCheckDebtor: a debtor CheckDebtor accepts always makes a bank file that pain001
// writes, and one it refuses never does: the check before a run starts is the very check
// the export makes after it is drafted.
func FuzzCheckDebtor(f *testing.F) {
	f.Add("Northbridge Psychiatry Ltd", "200000", "55779911")
	f.Add("", "20-00-00", "5577991")
	f.Add(" padded ", "12345a", "123456789")
	f.Add("Dr 山田 & <Partners>", "000000", "00000000")
	f.Fuzz(func(t *testing.T, name, sortCode, account string) {
		p := payouts.Party{Name: name, SortCode: sortCode, AccountNumber: account}
		err := payouts.CheckDebtor(pain001.Writer{}, p)
		var buf bytes.Buffer
		werr := pain001.Write(&buf, pain001.File{
			MessageID: "PO1", PaymentInfoID: "PI1", CreatedAt: time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC),
			RequestedExecutionDate: ledger.Date{Year: 2025, Month: 3, Day: 3}, Debtor: pain001.Party(p),
			Lines: []pain001.Line{{EndToEndID: "E1", Amount: money.GBP("250.00"),
				Creditor: pain001.Party{Name: "Dr Aisha Okafor", SortCode: "401276", AccountNumber: "12345678"}}},
		})
		if (err == nil) != (werr == nil) {
			t.Fatalf("debtor %+v: CheckDebtor says %v but writing says %v", p, err, werr)
		}
	})
}
