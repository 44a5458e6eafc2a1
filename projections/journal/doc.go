// Package journal is the practice's double-entry book of the money the event history
// moves: every earning, release, payout and invoice payment posts balanced entries, so the
// trial balance is zero by construction and every balance traces back to the events that
// made it (each entry carries its event's id and the earning, invoice or payout it is about).
//
// The chart of accounts (debits positive, credits negative):
//
//	fee_expense                 what V2 work costs the practice (consultation fees, billable items)
//	clinician_pending:<id>      owed to a clinician once released (a liability: credit balance)
//	clinician_payable:<id>      released and waiting for a payout run
//	clinician_in_payout:<id>    on a payout run the bank has not settled
//	bank                        the practice's account: patients' payments in, payouts out
//	patient_receivable:<id>     what a patient owes on issued invoices
//	revenue                     invoiced billable items
//	v1_work_expense             V1 work, booked against
//	v1_clinician_owed:<id>      what the old back office (V1) owes a clinician; V2 never pays it
//
// The postings:
//
//	earnings accrued (V2)     Dr fee_expense             Cr clinician_pending
//	earnings accrued (V1)     Dr v1_work_expense         Cr v1_clinician_owed
//	earnings released         Dr clinician_pending       Cr clinician_payable
//	included in a payout      Dr clinician_payable       Cr clinician_in_payout
//	paid out                  Dr clinician_in_payout     Cr bank
//	returned from a payout    Dr clinician_in_payout     Cr clinician_payable
//	invoice issued            Dr patient_receivable      Cr revenue
//	payment recorded          Dr bank                    Cr patient_receivable
//	invoice voided            Dr revenue                 Cr patient_receivable   (if it had been issued)
//	                          and every still-pending item on it is written off:
//	                          Dr clinician_pending       Cr fee_expense          (V1: the v1 pair)
//
// The write-off is the journal's reading of "a voided invoice releases nothing": the
// earnings stream keeps the item pending for ever (the domain has no event that un-earns
// it), but no money will ever be owed for it, so the book does not carry it as a liability.
// Whichever of the accrual and the void the journal sees first, the item ends written off.
package journal
