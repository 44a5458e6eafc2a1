// Package payments holds the policies that turn what happens to appointments, invoices and
// payout runs into movements of the clinicians' earnings.
//
// A policy is a projection whose effect is a command: it reads one event and executes the
// earnings command that event calls for, with a command id derived from the event's id and
// the purpose. A redelivered event therefore derives the same command id, the command layer
// finds that command's events already in the stream and returns them, and nothing happens
// twice. The money rules themselves (released at most once, paid at most once, V1 work never
// paid by V2) are the earnings decider's, enforced by the event store's expected-version check
// on the clinician's stream; the policies only say when to ask.
//
//   - ConsultationEarnings: appointment.Completed accrues the fee as a pending earning;
//     appointment.FormSubmitted releases it.
//   - BillableItemEarnings: invoice.BillableItemAdded accrues the item for the clinician who
//     raised it (work date: the day it was raised); invoice.PaidInFull releases every item.
//     invoice.Voided releases nothing: the item's earning stays pending for ever, and the
//     read models say why ("invoice voided") rather than the history pretending it never was.
//   - PayoutSettlement: payout.Settled marks each line's earnings paid; payout.LineFailed and
//     payout.Abandoned return them to released and unpaid, for a later run.
//
// When an event cannot be acted on yet (no go-live date recorded, a release that overtook
// its accrual) the policy returns the error: the runner retries it and, if it keeps failing,
// parks it where `ledgerdesk projections parked` shows it and `projections retry` replays it.
package payments
