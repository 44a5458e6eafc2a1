package payout_test

import (
	"strings"
	"testing"

	"ledgerdesk/domain/payout"
)

// Bank details from a form are validated, never trusted: an accepted line always carries a
// six-digit sort code, an eight-digit account number and a name, and nothing panics.
func FuzzBankDetails(f *testing.F) {
	f.Add("Dr A", "11-22-33", "1234 5678")
	f.Add("", "", "")
	f.Add(" ", "١١٢٢٣٣", "12345678")
	f.Add("Dr \xff", "112233", "123456789")
	f.Fuzz(func(t *testing.T, name, sortCode, account string) {
		c := addLine(lineA)
		c.Payee = payout.Payee{Name: name, SortCode: sortCode, AccountNumber: account}
		evs, err := payout.Decide(payout.Decider.Fold([]payout.Event{started()}), c)
		if err != nil {
			if len(evs) != 0 {
				t.Fatalf("refused with %v but emitted %v", err, evs)
			}
			return
		}
		l := evs[0].(payout.LineAdded)
		if len(l.SortCode) != 6 || strings.Trim(l.SortCode, "0123456789") != "" ||
			len(l.AccountNumber) != 8 || strings.Trim(l.AccountNumber, "0123456789") != "" || strings.TrimSpace(l.PayeeName) == "" {
			t.Fatalf("accepted bank details %q %q %q", l.PayeeName, l.SortCode, l.AccountNumber)
		}
	})
}

// The bank file record accepts only a pain.001-sized message id and a real SHA-256 hex digest.
func FuzzExportRecord(f *testing.F) {
	f.Add(msgID, sha)
	f.Add("", "")
	f.Add("é", strings.Repeat("A", 64))
	f.Fuzz(func(t *testing.T, msg, hash string) {
		evs, err := payout.Decide(payout.Decider.Fold(history(payout.StatusFinalised)), payout.Export{PayoutID: runID, MessageID: msg, SHA256: hash, At: at(3)})
		if err != nil {
			if len(evs) != 0 {
				t.Fatalf("refused with %v but emitted %v", err, evs)
			}
			return
		}
		e := evs[0].(payout.Exported)
		if len(e.MessageID) == 0 || len(e.MessageID) > payout.MaxMessageIDLength || len(e.SHA256) != 64 || strings.Trim(e.SHA256, "0123456789abcdef") != "" {
			t.Fatalf("accepted export %+v", e)
		}
	})
}
