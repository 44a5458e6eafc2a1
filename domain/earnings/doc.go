// Package earnings is one clinician's money: every consultation fee and billable item they
// have earned, from pending, through released, to paid out.
//
// All of a clinician's earnings live in ONE stream ("earnings-<clinician id>"). That is what
// makes the money rules cheap to enforce: the event store's expected-version check on that
// stream serialises every release and every payout inclusion for the clinician, so an earning
// cannot be released twice, included in two payouts at once or paid twice, even with several
// processes running policies concurrently.
//
// Each earning records, when it is accrued, which back office owns it (V1 before go-live, V2
// on or after, by the Europe/London work date). V2 never releases or pays V1 work: when V1 work
// reaches V2 (a late form, say) the decider records V1WorkArrived instead, so that
// reconciliation can show it.
//
// Policies are redelivered, so the commands they send are idempotent where that is safe: an
// identical Accrue, a second Release, a second MarkPaid or ReturnFromPayout, and an identical
// IncludeInPayout all decide nothing rather than fail.
package earnings
