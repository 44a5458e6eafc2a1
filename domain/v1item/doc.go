// Package v1item is one pending payment from the legacy back office (V1), as the accounts
// department imports it from V1's CSV export and ticks it off when it is settled.
//
// Each V1 reference has its own stream. The figures of the first import are the item's
// figures for good: a later export that repeats them changes nothing, and one that differs
// is refused with a *ConflictError naming the fields, so the clerk sees the disagreement
// instead of the history silently taking the newer number. The import then records the
// disagreement (RecordConflict → ImportConflictRecorded) so that reconciliation can show
// it; a file that gives one reference different figures on different lines is recorded the
// same way, and none of its figures is imported.
//
// The import judges the work date against go-live once and records the answer in the
// event (Ledger): an item V1 exported with a work date on or after go-live is still
// imported, as V2 work, for reconciliation to list as an exception.
//
// An item that V1 had already paid arrives with status "paid" in V1ItemImported: there is no
// separate "settled" event because V2 never saw it outstanding. Such an item cannot be ticked
// off (ErrSettledInV1): ticking means "accounts settled this", which would be untrue.
//
// Personal data (the clinician's name, the free-text description, notes and reasons) is
// tagged pii. An imported item's is keyed to WorkSubject(clinician, patient): a V1 row
// joins a clinician's and a patient's data, so erasure for either person shreds the keys of
// the pairs that a projection lists for them without touching anyone else's items, and an
// export of 100,000 rows needs a key per clinician and patient pair, not per row. Notes,
// reasons and conflicting figures are keyed to the item's own stream id. The patient
// reference itself is V1's pseudonymous patient id, like a V2 patient id: it is in the
// clear, because reconciliation matches V1 work with V2 work by it.
package v1item
