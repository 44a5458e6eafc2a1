// Package v1item is one pending payment from the legacy back office (V1), as the accounts
// department imports it from V1's CSV export and ticks it off when it is settled.
//
// Each V1 reference has its own stream. The figures of the first import are the item's
// figures for good: a later export that repeats them changes nothing, and one that differs
// is refused with a *ConflictError naming the fields, so the clerk sees the disagreement
// instead of the history silently taking the newer number.
//
// An item that V1 had already paid arrives with status "paid" in V1ItemImported: there is no
// separate "settled" event because V2 never saw it outstanding. Such an item cannot be ticked
// off (ErrSettledInV1): ticking means "accounts settled this", which would be untrue.
//
// Personal data (the clinician's name, the patient reference, free-text description, notes
// and reasons) is tagged pii and keyed to the item's own stream id as its data subject: a V1
// row mixes a clinician's and a patient's data, so erasure for either person shreds the keys
// of the items that a projection lists for them, without touching anyone else's items.
package v1item
