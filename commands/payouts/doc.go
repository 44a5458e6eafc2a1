// Package payouts is the application service of a payout run: it gathers what each
// clinician may be paid, builds the run, writes its bank file (through a BankFileWriter:
// adapters/pain001 writes ISO 20022 pain.001), and records what the bank did with it.
//
// The run never trusts a read model with money. The earnings read model is used only to
// learn which clinicians have earnings at all; what each is paid comes from their earnings
// stream, and the inclusion in the run is appended to that stream with the version it was
// decided on, so the event store refuses an earning that another run took meanwhile. An
// earning is therefore in at most one live run, and paid at most once, however many runs
// and processes race.
//
// A run is crash-safe: every command it issues has an id derived from the payout id and
// the clinician, so running it again with the same payout id finds what was done, does
// the rest, and changes nothing twice. The order is always: include the earnings in the
// clinician's stream, then add the line with the total the inclusion recorded, then
// finalise. A run interrupted between the two first steps is completed by running it
// again, or undone by Abandon.
package payouts
