package payments

import (
	"github.com/google/uuid"

	"ledgerdesk/domain/earnings"
)

// earningNamespace scopes the name-based UUIDs of earnings, so the same appointment id
// always names the same earning and no other kind of id can collide with it.
var earningNamespace = uuid.MustParse("6f1d7c1e-3c2a-4f7e-9a53-0e6b7d2c9a41")

// EarningID is the id of the earning that pays for a piece of work. It is derived from the
// work, not minted, so that every process (and every redelivery) that accrues the same
// work names the same earning, and the earnings decider recognises a repeat.
func EarningID(src earnings.Source) string {
	return uuid.NewSHA1(earningNamespace, []byte(string(src.Kind)+"\x00"+src.AppointmentID+"\x00"+src.InvoiceID+"\x00"+src.ItemID)).String()
}

// ConsultationEarningID is the earning of an appointment's fee.
func ConsultationEarningID(appointmentID string) string {
	return EarningID(earnings.Consultation(appointmentID))
}

// BillableItemEarningID is the earning of one billable item on an invoice.
func BillableItemEarningID(invoiceID, itemID string) string {
	return EarningID(earnings.BillableItem(invoiceID, itemID))
}
