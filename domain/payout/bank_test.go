package payout_test

import (
	"strings"
	"testing"
	"time"

	"ledgerdesk/domain/payout"
)

func TestExportRecordsTheFilesMessageIDAndHash(t *testing.T) {
	c := payout.Export{PayoutID: runID, MessageID: msgID, SHA256: sha, At: at(3)}
	spec().Given(history(payout.StatusFinalised)...).When(c).Then(t, exported())
	spec().Given(history(payout.StatusExported)...).When(c).Then(t) // the same file recorded again
	spec().Given(history(payout.StatusSubmitted)...).When(c).Then(t)
}

func TestOnlyOneBankFileIsEverRecorded(t *testing.T) {
	other := payout.Export{PayoutID: runID, MessageID: msgID, SHA256: strings.Repeat("cd", 32), At: at(5)}
	spec().Given(history(payout.StatusExported)...).When(other).ThenError(t, payout.ErrAlreadyExported)
	other.SHA256, other.MessageID = sha, "LD-20250210-0002"
	spec().Given(history(payout.StatusSubmitted)...).When(other).ThenError(t, payout.ErrAlreadyExported)
}

func TestExportNeedsAFinalisedRunAndAWellFormedFile(t *testing.T) {
	ok := payout.Export{PayoutID: runID, MessageID: msgID, SHA256: sha, At: at(3)}
	spec().Given(history(payout.StatusDrafting)...).When(ok).ThenError(t, payout.ErrNotFinalised)
	for name, mutate := range map[string]func(*payout.Export){
		"no message id":       func(c *payout.Export) { c.MessageID = "" },
		"message id over 35":  func(c *payout.Export) { c.MessageID = strings.Repeat("M", 36) },
		"space in message id": func(c *payout.Export) { c.MessageID = "LD 1" },
		"short hash":          func(c *payout.Export) { c.SHA256 = sha[:63] },
		"upper-case hash":     func(c *payout.Export) { c.SHA256 = strings.ToUpper(sha) },
		"not hex":             func(c *payout.Export) { c.SHA256 = strings.Repeat("zz", 32) },
		"no time":             func(c *payout.Export) { c.At = time.Time{} },
	} {
		t.Run(name, func(t *testing.T) {
			c := ok
			mutate(&c)
			spec().Given(history(payout.StatusFinalised)...).When(c).ThenError(t, payout.ErrInvalidInput)
		})
	}
}

func TestSubmissionFollowsExport(t *testing.T) {
	c := payout.MarkSubmitted{PayoutID: runID, At: at(4)}
	spec().Given(history(payout.StatusExported)...).When(c).Then(t, submitted())
	spec().Given(history(payout.StatusFinalised)...).When(c).ThenError(t, payout.ErrNotExported)
	spec().Given(history(payout.StatusSubmitted)...).When(c).ThenError(t, payout.ErrAlreadySubmitted)
}

func TestSettlementPaysEveryLineThatDidNotFail(t *testing.T) {
	failedB := payout.LineFailed{PayoutID: runID, ClinicianID: drB, EarningIDs: []string{"e3"}, Amount: gbp("40.00"), Reason: "AC04 account closed", FailedAt: at(5)}
	spec().Given(append(history(payout.StatusSubmitted), failedB)...).
		When(payout.MarkSettled{PayoutID: runID, At: at(6)}).
		Then(t, payout.Settled{PayoutID: runID, Total: gbp("370.50"), SettledAt: at(6), Lines: []payout.SettledLine{
			{ClinicianID: drA, EarningIDs: []string{"e1", "e2"}, Amount: gbp("370.50")},
		}})
	spec().Given(history(payout.StatusSubmitted)...).
		When(payout.MarkSettled{PayoutID: runID, At: at(6)}).
		ThenState(t, func(t testing.TB, s payout.State) {
			if s.Status != payout.StatusSettled || !s.Total.Equal(gbp("410.50")) {
				t.Fatalf("state %+v", s)
			}
		})
}

func TestSettlementNeedsASubmittedRunAndHappensOnce(t *testing.T) {
	c := payout.MarkSettled{PayoutID: runID, At: at(6)}
	spec().Given(history(payout.StatusExported)...).When(c).ThenError(t, payout.ErrNotSubmitted)
	settled := append(history(payout.StatusSubmitted), payout.Settled{PayoutID: runID, SettledAt: at(6), Total: gbp("410.50")})
	spec().Given(settled...).When(c).ThenError(t, payout.ErrAlreadySettled)
}

func TestABankLineFailsOnceAndOnlyAfterSubmission(t *testing.T) {
	c := payout.FailLine{PayoutID: runID, ClinicianID: drB, Reason: "AC04 account closed", At: at(5)}
	failed := payout.LineFailed{PayoutID: runID, ClinicianID: drB, EarningIDs: []string{"e3"}, Amount: gbp("40.00"), Reason: "AC04 account closed", FailedAt: at(5)}
	spec().Given(history(payout.StatusSubmitted)...).When(c).Then(t, failed)
	spec().Given(append(history(payout.StatusSubmitted), failed)...).When(c).ThenError(t, payout.ErrLineAlreadyFailed)
	spec().Given(history(payout.StatusExported)...).When(c).ThenError(t, payout.ErrNotSubmitted)
	spec().Given(append(history(payout.StatusSubmitted), payout.Settled{PayoutID: runID, SettledAt: at(6)})...).When(c).ThenError(t, payout.ErrAlreadySettled)
	c.ClinicianID = "clinician-z"
	spec().Given(history(payout.StatusSubmitted)...).When(c).ThenError(t, payout.ErrNoSuchLine)
	c.ClinicianID, c.Reason = drB, ""
	spec().Given(history(payout.StatusSubmitted)...).When(c).ThenError(t, payout.ErrInvalidInput)
}

func TestARunMayBeAbandonedUntilTheBankHasIt(t *testing.T) {
	c := payout.Abandon{PayoutID: runID, Reason: "wrong cutoff", At: at(5)}
	want := payout.Abandoned{PayoutID: runID, ClinicianIDs: []string{drA, drB}, Reason: "wrong cutoff", AbandonedAt: at(5)}
	for _, st := range []payout.Status{payout.StatusDrafting, payout.StatusFinalised, payout.StatusExported} {
		spec().Given(history(st)...).When(c).Then(t, want)
	}
	spec().Given(started()).When(c).Then(t, payout.Abandoned{PayoutID: runID, ClinicianIDs: []string{}, Reason: "wrong cutoff", AbandonedAt: at(5)})
	spec().Given(history(payout.StatusSubmitted)...).When(c).ThenError(t, payout.ErrAlreadySubmitted)
	spec().Given(append(history(payout.StatusExported), want)...).When(c).ThenError(t, payout.ErrAbandoned)
	spec().Given(history(payout.StatusExported)...).When(payout.Abandon{PayoutID: runID, At: at(5)}).ThenError(t, payout.ErrInvalidInput)
}

func TestNothingHappensToAnAbandonedRun(t *testing.T) {
	given := append(history(payout.StatusFinalised), payout.Abandoned{PayoutID: runID, ClinicianIDs: []string{drA, drB}, Reason: "r", AbandonedAt: at(3)})
	for _, c := range []payout.Command{
		addLine(line("clinician-c", "1.00", "e9")),
		payout.Export{PayoutID: runID, MessageID: msgID, SHA256: sha, At: at(4)},
		payout.MarkSubmitted{PayoutID: runID, At: at(4)},
		payout.MarkSettled{PayoutID: runID, At: at(4)},
		payout.FailLine{PayoutID: runID, ClinicianID: drA, Reason: "r", At: at(4)},
	} {
		spec().Given(given...).When(c).ThenError(t, payout.ErrAbandoned)
	}
}
