package earnings_test

import (
	"testing"

	"ledgerdesk/domain/earnings"
)

func paidOut(payout, total string, h int, ids ...string) earnings.PaidOut {
	return earnings.PaidOut{PayoutID: payout, ClinicianID: dr, EarningIDs: ids, Total: gbp(total), PaidAt: at(h)}
}

func returned(payout, total string, h int, ids ...string) earnings.ReturnedFromPayout {
	return earnings.ReturnedFromPayout{PayoutID: payout, ClinicianID: dr, EarningIDs: ids, Total: gbp(total), Reason: "AC04 account closed", ReturnedAt: at(h)}
}

func TestAPayoutTakesReleasedEarningsAndTheirTotal(t *testing.T) {
	spec().Given(twoReleased()...).
		When(earnings.IncludeInPayout{PayoutID: "p1", EarningIDs: []string{a1.EarningID, a2.EarningID}, At: at(2)}).
		Then(t, included("p1", "370.50", 2, a1.EarningID, a2.EarningID))
}

func TestOnlyReleasedV2EarningsGoInAPayout(t *testing.T) {
	history := append(twoReleased(), v1, included("p1", "250.00", 2, a1.EarningID))
	paid := append(append([]earnings.Event{}, history...), paidOut("p1", "250.00", 3, a1.EarningID))
	for _, tc := range []struct {
		name  string
		given []earnings.Event
		ids   []string
		want  error
	}{
		{"pending", history, []string{b1.EarningID}, earnings.ErrNotReleased},
		{"V1", history, []string{v1.EarningID}, earnings.ErrV1EarningNotPayable},
		{"in another payout", history, []string{a1.EarningID}, earnings.ErrAlreadyInPayout},
		{"paid", paid, []string{a1.EarningID}, earnings.ErrAlreadyPaidOut},
		{"unknown", history, []string{"e-nowhere"}, earnings.ErrNotAccrued},
		{"one bad apple refuses the line", history, []string{a2.EarningID, b1.EarningID}, earnings.ErrNotReleased},
		{"none", history, nil, earnings.ErrInvalidInput},
		{"listed twice", history, []string{a2.EarningID, a2.EarningID}, earnings.ErrInvalidInput},
		{"blank id", history, []string{""}, earnings.ErrInvalidInput},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec().Given(tc.given...).When(earnings.IncludeInPayout{PayoutID: "p2", EarningIDs: tc.ids, At: at(4)}).ThenError(t, tc.want)
		})
	}
	spec().Given(history...).When(earnings.IncludeInPayout{EarningIDs: []string{a2.EarningID}, At: at(4)}).ThenError(t, earnings.ErrInvalidInput)
	spec().Given(history...).When(earnings.IncludeInPayout{PayoutID: "p2", EarningIDs: []string{a2.EarningID}}).ThenError(t, earnings.ErrInvalidInput)
}

func TestAPayoutHasOneLinePerClinician(t *testing.T) {
	given := append(twoReleased(), included("p1", "250.00", 2, a1.EarningID))
	spec().Given(given...).
		When(earnings.IncludeInPayout{PayoutID: "p1", EarningIDs: []string{a2.EarningID}, At: at(3)}).
		ThenError(t, earnings.ErrPayoutAlreadyUsed)
	spec().Given(given...).
		When(earnings.IncludeInPayout{PayoutID: "p1", EarningIDs: []string{a1.EarningID}, At: at(3)}).
		Then(t) // the same line redelivered
}

func TestTheBankPayingTheLinePaysItsEarningsOnce(t *testing.T) {
	given := append(twoReleased(), included("p1", "370.50", 2, a1.EarningID, a2.EarningID))
	spec().Given(given...).When(earnings.MarkPaid{PayoutID: "p1", At: at(3)}).
		Then(t, paidOut("p1", "370.50", 3, a1.EarningID, a2.EarningID))
	spec().Given(append(given, paidOut("p1", "370.50", 3, a1.EarningID, a2.EarningID))...).
		When(earnings.MarkPaid{PayoutID: "p1", At: at(4)}).Then(t)
	spec().Given(given...).When(earnings.MarkPaid{PayoutID: "p9", At: at(3)}).ThenError(t, earnings.ErrUnknownPayout)
	spec().Given(given...).When(earnings.MarkPaid{PayoutID: "p1"}).ThenError(t, earnings.ErrInvalidInput)
}

func TestAFailedBankLineReturnsItsEarningsToReleasedForALaterPayout(t *testing.T) {
	given := append(twoReleased(), included("p1", "370.50", 2, a1.EarningID, a2.EarningID))
	spec().Given(given...).When(earnings.ReturnFromPayout{PayoutID: "p1", Reason: "AC04 account closed", At: at(3)}).
		Then(t, returned("p1", "370.50", 3, a1.EarningID, a2.EarningID))

	afterReturn := append(given, returned("p1", "370.50", 3, a1.EarningID, a2.EarningID))
	spec().Given(afterReturn...).
		When(earnings.IncludeInPayout{PayoutID: "p2", EarningIDs: []string{a2.EarningID, a1.EarningID}, At: at(5)}).
		Then(t, included("p2", "370.50", 5, a2.EarningID, a1.EarningID))
	spec().Given(afterReturn...).When(earnings.MarkPaid{PayoutID: "p1", At: at(4)}).ThenError(t, earnings.ErrPayoutReturned)
	spec().Given(afterReturn...).When(earnings.ReturnFromPayout{PayoutID: "p1", Reason: "again", At: at(4)}).Then(t)
	spec().Given(afterReturn...).
		When(earnings.IncludeInPayout{PayoutID: "p1", EarningIDs: []string{a1.EarningID}, At: at(5)}).
		ThenError(t, earnings.ErrPayoutAlreadyUsed)
}

func TestAPaidLineCannotBeReturned(t *testing.T) {
	given := append(twoReleased(), included("p1", "250.00", 2, a1.EarningID), paidOut("p1", "250.00", 3, a1.EarningID))
	spec().Given(given...).When(earnings.ReturnFromPayout{PayoutID: "p1", Reason: "late", At: at(4)}).ThenError(t, earnings.ErrAlreadyPaidOut)
	spec().Given(given...).When(earnings.ReturnFromPayout{PayoutID: "p1", At: at(4)}).ThenError(t, earnings.ErrInvalidInput)
	spec().Given(given...).When(earnings.ReturnFromPayout{PayoutID: "p7", Reason: "x", At: at(4)}).ThenError(t, earnings.ErrUnknownPayout)
}
