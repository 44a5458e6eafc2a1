// Package appointment is the consultation a patient books with a clinician, from booking to
// the post-consultation form.
//
// It decides only what happens to the appointment itself. The money it gives rise to lives in
// the clinician's earnings stream (package earnings): Completed carries the clinician, the fee
// and the work time a policy needs to accrue the pending payment, and FormSubmitted is the
// fact that releases it. Keeping the earning out of this stream means the at-most-once rules
// for release and payout are enforced in one place, per clinician.
package appointment
