package pain001_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"ledgerdesk/adapters/pain001"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
)

var (
	feb10  = time.Date(2025, time.February, 10, 9, 30, 15, 0, time.UTC)
	feb11  = ledger.Date{Year: 2025, Month: time.February, Day: 11}
	clinic = pain001.Party{Name: "Northbridge Psychiatry Ltd", SortCode: "200000", AccountNumber: "55779911"}
)

// sampleFile is a typical two-clinician payout run.
func sampleFile() pain001.File {
	return pain001.File{
		MessageID:              "PAYOUT-2025-02-10-001",
		CreatedAt:              feb10,
		Debtor:                 clinic,
		RequestedExecutionDate: feb11,
		PaymentInfoID:          "PAYOUT-2025-02-10-001-P1",
		Lines: []pain001.Line{
			{
				EndToEndID:     "E2E-0001",
				InstructionID:  "INS-0001",
				Creditor:       pain001.Party{Name: "Dr Aisha Okafor", SortCode: "401276", AccountNumber: "12345678"},
				Amount:         money.GBP("1250.00"),
				RemittanceInfo: "Ledgerdesk payout 10 Feb 2025",
			},
			{
				EndToEndID: "E2E-0002",
				Creditor:   pain001.Party{Name: "Dr Tom O'Brien & Partners <Psychiatry>", SortCode: "309634", AccountNumber: "87654321"},
				Amount:     money.GBP("0.01"),
			},
		},
	}
}

func write(t testing.TB, f pain001.File) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := pain001.Write(&buf, f); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return buf.Bytes()
}

// sameFile reports the first difference between two files, or "" when they are equal.
// CreatedAt is compared as Write records it: the instant, to the second.
func sameFile(a, b pain001.File) string {
	switch {
	case a.MessageID != b.MessageID:
		return fmt.Sprintf("MessageID %q != %q", a.MessageID, b.MessageID)
	case !a.CreatedAt.Truncate(time.Second).Equal(b.CreatedAt.Truncate(time.Second)):
		return fmt.Sprintf("CreatedAt %v != %v", a.CreatedAt, b.CreatedAt)
	case a.Debtor != b.Debtor:
		return fmt.Sprintf("Debtor %+v != %+v", a.Debtor, b.Debtor)
	case a.RequestedExecutionDate != b.RequestedExecutionDate:
		return fmt.Sprintf("RequestedExecutionDate %v != %v", a.RequestedExecutionDate, b.RequestedExecutionDate)
	case a.PaymentInfoID != b.PaymentInfoID:
		return fmt.Sprintf("PaymentInfoID %q != %q", a.PaymentInfoID, b.PaymentInfoID)
	case len(a.Lines) != len(b.Lines):
		return fmt.Sprintf("%d lines != %d lines", len(a.Lines), len(b.Lines))
	}
	for i := range a.Lines {
		x, y := a.Lines[i], b.Lines[i]
		if x.EndToEndID != y.EndToEndID || x.InstructionID != y.InstructionID || x.Creditor != y.Creditor ||
			!x.Amount.Equal(y.Amount) || x.RemittanceInfo != y.RemittanceInfo {
			return fmt.Sprintf("line %d: %+v != %+v", i+1, x, y)
		}
	}
	return ""
}

// awkwardNames are valid names that stress escaping and character counting.
var awkwardNames = []string{
	"Dr Siân Ní Bhriain", "Dr A & B <Ltd>", `Dr "Quote" O'Neil`, "Dr 山田 太郎", "Dr ]]> CDATA end",
	"Dr Zoë Ñúñez-Łukasiewicz", "Dr 🧠 Brain", "&amp; literally", "Dr  Two  Spaces",
}

// randomFile builds a valid file from r; the same seed gives the same file.
func randomFile(r *rand.Rand) pain001.File {
	digits := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteByte(byte('0' + r.IntN(10)))
		}
		return b.String()
	}
	name := func() string {
		n := awkwardNames[r.IntN(len(awkwardNames))]
		if r.IntN(5) == 0 {
			n = strings.Repeat("é", pain001.MaxTextLength)
		}
		return n
	}
	created := time.Date(2024+r.IntN(3), time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60), r.IntN(1e9), time.UTC)
	exec := ledger.LondonDate(created.AddDate(0, 0, r.IntN(5)))
	f := pain001.File{
		MessageID:              "MSG-" + digits(1+r.IntN(31)),
		CreatedAt:              created,
		Debtor:                 pain001.Party{Name: name(), SortCode: digits(6), AccountNumber: digits(8)},
		RequestedExecutionDate: exec,
		PaymentInfoID:          "PMT-" + digits(8),
	}
	for i := range 1 + r.IntN(30) {
		l := pain001.Line{
			EndToEndID: fmt.Sprintf("E2E-%d-%s", i, digits(r.IntN(20))),
			Creditor:   pain001.Party{Name: name(), SortCode: digits(6), AccountNumber: digits(8)},
			Amount:     money.FromPence(1 + r.Int64N(100_000_000)),
		}
		if r.IntN(2) == 0 {
			l.InstructionID = fmt.Sprintf("INS-%d", i)
		}
		if r.IntN(2) == 0 {
			l.RemittanceInfo = name()
		}
		f.Lines = append(f.Lines, l)
	}
	return f
}
