package payout_test

import (
	"strings"
	"testing"
	"time"

	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/domain/payout"
)

func TestAClerkStartsARun(t *testing.T) {
	spec().When(payout.Start{PayoutID: runID, Cutoff: cutoff, RequestedBy: clerk, At: t0}).Then(t, started())
	spec().Given(started()).When(payout.Start{PayoutID: runID, Cutoff: cutoff, RequestedBy: clerk, At: t0}).ThenError(t, payout.ErrAlreadyStarted)
}

func TestStartNeedsIDCutoffRequesterAndTime(t *testing.T) {
	for name, c := range map[string]payout.Start{
		"no id":         {Cutoff: cutoff, RequestedBy: clerk, At: t0},
		"no cutoff":     {PayoutID: runID, RequestedBy: clerk, At: t0},
		"impossible":    {PayoutID: runID, Cutoff: ledger.Date{Year: 2025, Month: 2, Day: 29}, RequestedBy: clerk, At: t0},
		"no requester":  {PayoutID: runID, Cutoff: cutoff, At: t0},
		"no start time": {PayoutID: runID, Cutoff: cutoff, RequestedBy: clerk},
	} {
		t.Run(name, func(t *testing.T) { spec().When(c).ThenError(t, payout.ErrInvalidInput) })
	}
}

func TestALinePaysOneClinicianIntoTheirAccount(t *testing.T) {
	spec().Given(started()).When(addLine(lineA)).Then(t, lineA)
}

func TestBankDetailsAreStoredAsDigits(t *testing.T) {
	c := addLine(lineA)
	c.Payee = payout.Payee{Name: "  Dr clinician-a ", SortCode: "11-22-33", AccountNumber: "1234 5678"}
	spec().Given(started()).When(c).Then(t, lineA)
}

func TestALineNeedsValidDetails(t *testing.T) {
	for name, mutate := range map[string]func(*payout.AddLine){
		"no clinician":          func(c *payout.AddLine) { c.ClinicianID = "" },
		"no earnings":           func(c *payout.AddLine) { c.EarningIDs = nil },
		"an earning twice":      func(c *payout.AddLine) { c.EarningIDs = []string{"e1", "e1"} },
		"zero amount":           func(c *payout.AddLine) { c.Amount = money.Zero },
		"negative amount":       func(c *payout.AddLine) { c.Amount = gbp("-1.00") },
		"no payee name":         func(c *payout.AddLine) { c.Payee.Name = " " },
		"over-long payee name":  func(c *payout.AddLine) { c.Payee.Name = strings.Repeat("x", payout.MaxPayeeNameLength+1) },
		"short sort code":       func(c *payout.AddLine) { c.Payee.SortCode = "11223" },
		"letters in sort code":  func(c *payout.AddLine) { c.Payee.SortCode = "11223a" },
		"seven-digit account":   func(c *payout.AddLine) { c.Payee.AccountNumber = "1234567" },
		"unicode digit account": func(c *payout.AddLine) { c.Payee.AccountNumber = "1234567٨" },
		"no time":               func(c *payout.AddLine) { c.At = time.Time{} },
	} {
		t.Run(name, func(t *testing.T) {
			c := addLine(lineA)
			mutate(&c)
			spec().Given(started()).When(c).ThenError(t, payout.ErrInvalidInput)
		})
	}
}

func TestBankDetailsNeverAppearInErrors(t *testing.T) {
	c := addLine(lineA)
	c.Payee.SortCode = "99-88-7"
	_, err := payout.Decide(payout.Decider.Fold([]payout.Event{started()}), c)
	if err == nil || strings.Contains(err.Error(), "99") {
		t.Fatalf("error %v repeats the sort code", err)
	}
}

func TestOneLinePerClinicianAndEachEarningOnOneLine(t *testing.T) {
	spec().Given(started(), lineA).When(addLine(line(drA, "1.00", "e9"))).ThenError(t, payout.ErrDuplicateLine)
	spec().Given(started(), lineA).When(addLine(line(drB, "1.00", "e3", "e2"))).ThenError(t, payout.ErrEarningInTwoLines)
}

func TestLinesAreAddedOnlyWhileDrafting(t *testing.T) {
	c := addLine(line("clinician-c", "5.00", "e7"))
	spec().Given(history(payout.StatusFinalised)...).When(c).ThenError(t, payout.ErrAlreadyFinalised)
	spec().Given(history(payout.StatusSubmitted)...).When(c).ThenError(t, payout.ErrAlreadyFinalised)
	spec().When(c).ThenError(t, payout.ErrNotStarted)
	c.PayoutID = "other-run"
	spec().Given(started()).When(c).ThenError(t, payout.ErrWrongPayout)
}

func TestFinalisedTotalIsTheSumOfTheLines(t *testing.T) {
	spec().Given(history(payout.StatusDrafting)...).When(payout.Finalise{PayoutID: runID, At: at(2)}).Then(t, finalised())
}

func TestARunWithoutLinesCannotBeFinalised(t *testing.T) {
	spec().Given(started()).When(payout.Finalise{PayoutID: runID, At: at(2)}).ThenError(t, payout.ErrNoLines)
	spec().Given(history(payout.StatusFinalised)...).When(payout.Finalise{PayoutID: runID, At: at(2)}).ThenError(t, payout.ErrAlreadyFinalised)
	spec().Given(history(payout.StatusDrafting)...).When(payout.Finalise{PayoutID: runID}).ThenError(t, payout.ErrInvalidInput)
}

func TestAnUnknownCommandIsRefused(t *testing.T) {
	spec().Given(started()).When(nil).ThenError(t, payout.ErrUnknownCommand)
}
