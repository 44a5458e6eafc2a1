// Package invoice is a patient's invoice: the billable items clinicians raise (reports,
// letters, prescriptions), its issue, the patient's payments and, when they add up to the
// total, the fact that it is paid in full.
//
// PaidInFull lists every billable item with its clinician and amount, because it is what
// releases those clinicians' earnings: a clinician is paid for a billable item only after the
// patient has paid the whole invoice, and a voided invoice releases nothing.
package invoice
