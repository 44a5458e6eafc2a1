package earnings_test

import (
	"bytes"
	"encoding/csv"
	"testing"

	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	rm "ledgerdesk/projections/earnings"
)

func TestAStatementListsEveryLineThenTheTotalsAndDefusesFormulas(t *testing.T) {
	s := rm.Summary{ClinicianID: "c1", ClinicianName: "Dr Aisha Okafor", Month: "2025-02", GoLive: "2025-02-03",
		Pending: []rm.Item{{Kind: "consultation", WorkDate: ledger.LondonDate(feb10), Amount: money.GBP("100.00"), Status: "pending", Why: "post-consultation form not submitted"}},
		Voided:  []rm.Item{{Kind: "billable_item", WorkDate: ledger.LondonDate(feb10), Amount: money.GBP("60.00"), Status: "pending", Why: "voided"}},
		Paid: []rm.Item{{Kind: "consultation", WorkDate: ledger.LondonDate(feb10), Amount: money.GBP("80.00"), Status: "paid", PaidAt: &feb11,
			PayoutID: "run1", Payout: &rm.PayoutState{PayoutID: "run1", Status: "settled", Words: "settled by the bank on 2025-02-11"}}},
		V1Imported: rm.V1Imported{Items: []rm.V1Item{{Reference: "V1-1", WorkDate: "2025-01-20", Description: "=HYPERLINK(\"x\")", Amount: money.GBP("90.00"), Why: "V1 pays it"}}},
		Totals:     rm.Totals{Pending: money.GBP("100.00"), V1: money.Zero, Voided: money.GBP("60.00"), Released: money.Zero, InPayout: money.Zero, Paid: money.GBP("80.00"), V1ImportedOutstanding: money.GBP("90.00")},
	}
	var buf bytes.Buffer
	if err := rm.WriteStatementCSV(&buf, s); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	sections := ""
	for _, r := range rows[2:] {
		sections += r[0] + " "
	}
	if want := "pending voided paid v1_imported total_pending total_v1_in_v2 total_voided total_released total_in_payout total_paid total_v1_imported_outstanding "; sections != want {
		t.Fatalf("sections = %q, want %q", sections, want)
	}
	if rows[0][1] != "Dr Aisha Okafor" || rows[5][2] != "'=HYPERLINK(\"x\")" || rows[4][5] != "paid on 2025-02-11" || rows[4][7] != "settled by the bank on 2025-02-11" || rows[6][3] != "100.00" {
		t.Fatalf("rows = %q", rows)
	}
}
