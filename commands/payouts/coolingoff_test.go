package payouts_test

import (
	"strings"
	"testing"
	"time"

	"ledgerdesk/commands"
	"ledgerdesk/commands/payouts"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/earnings"
	"ledgerdesk/domain/money"
	"ledgerdesk/policies/payments/paymentstest"
)

// changeBankDetails is c2 changing their bank details, re-authenticated, at when.
func changeBankDetails(t *testing.T, h *paymentstest.Harness, when time.Time) {
	t.Helper()
	_, err := commands.Execute(h.Ctx, h.Deps, account.Decider, account.StreamID("c2"), account.Command(account.SetPayeeBankDetails{
		AccountID: "c2", AccountName: "Dr Tom O'Brien", SortCode: "11-22-33", AccountNumber: "44556677", By: "c2", Reauthenticated: true, At: when,
	}), meta())
	h.Must(err)
}

func TestAClinicianWhoseBankDetailsChangedWithinTheCoolingOffPeriodIsHeldWithAReason(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	consultation(t, h, "a1", "c1", "250.00", feb10, true)
	consultation(t, h, "b1", "c2", "120.25", feb10, true)
	h.Settle()
	changed := mar3.Add(-24 * time.Hour)
	changeBankDetails(t, h, changed)

	rep, err := payouts.Run(h.Ctx, h.Deps, nil, payouts.RunRequest{PayoutID: "run1", Cutoff: feb28, RequestedBy: "clerk", At: mar3, Clinicians: []string{"c1", "c2"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Lines) != 1 || rep.Lines[0].ClinicianID != "c1" {
		t.Fatalf("lines = %+v, want only c1", rep.Lines)
	}
	if len(rep.Skipped) != 1 || rep.Skipped[0].ClinicianID != "c2" || rep.Skipped[0].Reason != payouts.SkipBankDetailsCoolingOff ||
		!rep.Skipped[0].Amount.Equal(money.GBP("120.25")) ||
		!strings.Contains(rep.Skipped[0].Why, "held until 5 Mar 2025 09:00") || !strings.Contains(rep.Skipped[0].Why, "set on 2 Mar 2025 09:00") {
		t.Fatalf("skipped = %+v, want c2 held until three days after the change", rep.Skipped)
	}
	if r := h.Earnings("c2").ReleasedUnpaid(); len(r) != 1 {
		t.Fatalf("c2's earning should still be released and unpaid, got %+v", r)
	}

	// Once the period is over the next run pays them, into the new account.
	rep, err = payouts.Run(h.Ctx, h.Deps, nil, payouts.RunRequest{PayoutID: "run2", Cutoff: feb28, RequestedBy: "clerk", At: changed.Add(account.DefaultPayeeCoolingOff), Clinicians: []string{"c2"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Lines) != 1 || rep.Lines[0].ClinicianID != "c2" || len(rep.Skipped) != 0 {
		t.Fatalf("after the period: %+v", rep)
	}
	if l, _ := payoutState(t, h, "run2").Line("c2"); l.Payee.AccountNumber != "44556677" {
		t.Fatalf("paid into %+v, want the new account", l)
	}
	if x, _ := h.Earnings("c2").Earning(rep.Lines[0].EarningIDs[0]); x.Status != earnings.StatusInPayout {
		t.Fatalf("c2's earning = %+v", x)
	}
}

func TestTheCoolingOffPeriodIsTheDeploymentsToSet(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	consultation(t, h, "b1", "c2", "120.25", feb10, true)
	h.Settle()
	changeBankDetails(t, h, mar3.Add(-24*time.Hour))
	req := payouts.RunRequest{PayoutID: "run1", Cutoff: feb28, RequestedBy: "clerk", At: mar3, Clinicians: []string{"c2"}, CoolingOff: 12 * time.Hour}
	rep, err := payouts.Run(h.Ctx, h.Deps, nil, req)
	if err != nil || len(rep.Lines) != 1 {
		t.Fatalf("a 12-hour period a day after the change: %+v, %v", rep, err)
	}
}
