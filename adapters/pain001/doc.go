// Package pain001 writes and reads the payout bank file: an ISO 20022 pain.001.001.09
// Customer Credit Transfer Initiation in pounds sterling, one debit from the practice's account
// and one credit transfer per clinician.
//
// UK domestic accounts have no IBAN here: each account is written as Othr/Id holding the sort
// code followed by the account number (14 digits) under the proprietary scheme name
// "SortCodeAccountNumber", and each bank (agent) is identified by its sort code in the UK
// Domestic Sort Code clearing system (ClrSysMmbId, code GBDSC).
//
// Nothing is ever shortened, rounded or replaced to make input fit the schema: Validate
// rejects it with an error that names the line and the field, so the accounts department can
// fix the source. Write refuses a file that Validate rejects and writes nothing. Parse reads
// back a file that Write produced, checks its control totals, and is used by the payout
// reconciliation.
package pain001
