// Package payout is one payout run: the bank payment that sends released earnings to
// clinicians, one line per clinician, through an ISO 20022 pain.001 file.
//
// A run moves drafting → finalised → exported → submitted → settled, or is abandoned before
// it is submitted. Its events drive the clinicians' earnings streams through policies:
// Settled marks each line's earnings paid, LineFailed and Abandoned return them to released
// and unpaid. The run itself never reads an earnings stream: the command layer includes the
// earnings in the clinician's stream first (which refuses anything unpayable) and then adds
// the line here with the total that inclusion reported.
package payout
