package pain001_test

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"ledgerdesk/adapters/pain001"
	"ledgerdesk/commands/payouts"
	"ledgerdesk/domain/money"
)

func payoutFile() payouts.BankFile {
	return payouts.BankFile{
		MessageID: "PO-1", CreatedAt: feb10, RequestedExecutionDate: feb11, PaymentInfoID: "PI-1",
		Debtor: payouts.Party(clinic),
		Lines: []payouts.BankLine{
			{EndToEndID: "E-1", Creditor: payouts.Party{Name: "Dr Aisha Okafor", SortCode: "401276", AccountNumber: "12345678"}, Amount: money.GBP("250.01"), RemittanceInfo: "work to 28 Feb"},
			{EndToEndID: "E-2", Creditor: payouts.Party{Name: "Dr Tom O'Brien", SortCode: "309634", AccountNumber: "87654321"}, Amount: money.GBP("80.00")},
		},
	}
}

// The payout run's file reads back from pain.001 with every field it gave.
func TestWriterWritesThePayoutRunsFileAsPain001(t *testing.T) {
	f := payoutFile()
	var buf bytes.Buffer
	if err := (pain001.Writer{}).Write(&buf, f); err != nil {
		t.Fatal(err)
	}
	back, err := pain001.Parse(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if want := pain001.FromPayout(f); !reflect.DeepEqual(back, want) {
		t.Fatalf("read back %+v\nwant %+v", back, want)
	}
	if !back.Total().Equal(f.Total()) {
		t.Fatalf("total %s, the run's %s", back.Total(), f.Total())
	}
}

func TestWriterRefusesWhatPain001RefusesAndWritesNothing(t *testing.T) {
	f := payoutFile()
	f.Lines[1].Creditor.SortCode = "30-96-34"
	if err := (pain001.Writer{}).Validate(f); !errors.Is(err, pain001.ErrInvalidSortCode) {
		t.Fatalf("validate: %v, want ErrInvalidSortCode", err)
	}
	var buf bytes.Buffer
	if err := (pain001.Writer{}).Write(&buf, f); !errors.Is(err, pain001.ErrInvalidSortCode) || buf.Len() != 0 {
		t.Fatalf("write: %v, %d bytes; want ErrInvalidSortCode and nothing written", err, buf.Len())
	}
}
