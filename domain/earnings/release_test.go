package earnings_test

import (
	"testing"

	"ledgerdesk/domain/earnings"
)

func TestTheSubmittedFormReleasesTheConsultationEarning(t *testing.T) {
	spec().Given(a1).
		When(earnings.Release{EarningID: a1.EarningID, Reason: earnings.ReleaseFormSubmitted, At: at(1)}).
		Then(t, released(a1, 1))
}

func TestAPolicyMayNameTheEarningByItsWork(t *testing.T) {
	spec().Given(a1, a2).
		When(earnings.Release{Source: earnings.Consultation("appt-2"), Reason: earnings.ReleaseFormSubmitted, At: at(1)}).
		Then(t, released(a2, 1))
	spec().Given(b1).
		When(earnings.Release{Source: earnings.BillableItem("inv-1", "item-1"), Reason: earnings.ReleaseInvoicePaid, At: at(1)}).
		Then(t, released(b1, 1))
}

func TestTheInvoicePaidInFullReleasesTheBillableItemEarning(t *testing.T) {
	spec().Given(b1).
		When(earnings.Release{EarningID: b1.EarningID, Reason: earnings.ReleaseInvoicePaid, At: at(1)}).
		Then(t, released(b1, 1))
}

func TestNothingIsReleasedBeforeItIsAccrued(t *testing.T) {
	spec().Given(a1).When(earnings.Release{EarningID: "e-appt-9", Reason: earnings.ReleaseFormSubmitted, At: at(1)}).
		ThenError(t, earnings.ErrNotAccrued)
	spec().When(earnings.Release{Source: earnings.Consultation("appt-1"), Reason: earnings.ReleaseFormSubmitted, At: at(1)}).
		ThenError(t, earnings.ErrNotAccrued)
}

func TestTheReleaseReasonMustFitTheKindOfWork(t *testing.T) {
	spec().Given(a1).When(earnings.Release{EarningID: a1.EarningID, Reason: earnings.ReleaseInvoicePaid, At: at(1)}).
		ThenError(t, earnings.ErrWrongReleaseReason)
	spec().Given(b1).When(earnings.Release{EarningID: b1.EarningID, Reason: earnings.ReleaseFormSubmitted, At: at(1)}).
		ThenError(t, earnings.ErrWrongReleaseReason)
}

func TestReleaseRefusesMalformedCommands(t *testing.T) {
	for name, c := range map[string]earnings.Release{
		"no reason":           {EarningID: a1.EarningID, At: at(1)},
		"made-up reason":      {EarningID: a1.EarningID, Reason: "manager_said_so", At: at(1)},
		"no time":             {EarningID: a1.EarningID, Reason: earnings.ReleaseFormSubmitted},
		"neither id nor work": {Reason: earnings.ReleaseFormSubmitted, At: at(1)},
		"id and other work":   {EarningID: a1.EarningID, Source: earnings.Consultation("appt-2"), Reason: earnings.ReleaseFormSubmitted, At: at(1)},
		"control char in id":  {EarningID: "e\n", Reason: earnings.ReleaseFormSubmitted, At: at(1)},
	} {
		t.Run(name, func(t *testing.T) {
			spec().Given(a1, a2).When(c).ThenError(t, earnings.ErrInvalidInput)
		})
	}
}

// Policies are redelivered: a second release of the same earning, whatever has happened to
// it since, decides nothing rather than releasing it again.
func TestAnEarningIsReleasedAtMostOnce(t *testing.T) {
	again := earnings.Release{EarningID: a1.EarningID, Reason: earnings.ReleaseFormSubmitted, At: at(9)}
	for name, given := range map[string][]earnings.Event{
		"released":  {a1, released(a1, 1)},
		"in payout": {a1, released(a1, 1), included("p1", "250.00", 2, a1.EarningID)},
		"paid":      {a1, released(a1, 1), included("p1", "250.00", 2, a1.EarningID), paidOut("p1", "250.00", 3, a1.EarningID)},
		"returned":  {a1, released(a1, 1), included("p1", "250.00", 2, a1.EarningID), returned("p1", "250.00", 3, a1.EarningID)},
	} {
		t.Run(name, func(t *testing.T) { spec().Given(given...).When(again).Then(t) })
	}
}

func TestV1WorkArrivingInV2IsRecordedAndNotReleased(t *testing.T) {
	c := earnings.Release{EarningID: v1.EarningID, Reason: earnings.ReleaseFormSubmitted, At: at(1)}
	arrived := earnings.V1WorkArrived{EarningID: v1.EarningID, ClinicianID: dr, Source: v1.Source, Amount: v1.Amount,
		WorkDate: feb2, Reason: earnings.ReleaseFormSubmitted, ArrivedAt: at(1)}
	spec().Given(v1).When(c).Then(t, arrived)
	spec().Given(v1, arrived).When(c).Then(t)
	spec().Given(v1).When(c).ThenState(t, func(t testing.TB, s earnings.State) {
		e, _ := s.Earning(v1.EarningID)
		if e.Status != earnings.StatusV1 || e.V1ArrivedAt != at(1) || len(s.ReleasedUnpaid()) != 0 {
			t.Fatalf("V1 earning after arrival: %+v", e)
		}
	})
}
