package ticket

import "ledgerdesk/domain/check"

// Category is what the ticket is about; it decides what Open must carry and whether an
// identity check applies.
type Category string

const (
	CategoryLoginTrouble   Category = "login_trouble"
	CategoryBlockedIP      Category = "blocked_ip"
	CategoryTwoFactorReset Category = "two_factor_reset"
	CategoryPayments       Category = "payments"
	CategoryEquipmentTest  Category = "equipment_test"
	CategoryAccountDetails Category = "account_details"
	CategoryOther          Category = "other"
)

var categories = []Category{CategoryLoginTrouble, CategoryBlockedIP, CategoryTwoFactorReset, CategoryPayments, CategoryEquipmentTest, CategoryAccountDetails, CategoryOther}

// ParseCategory reads a category name.
func ParseCategory(s string) (Category, error) {
	for _, c := range categories {
		if string(c) == s {
			return c, nil
		}
	}
	return "", check.Failf(ErrInvalidInput, "category", "must be one of %v", categories)
}

// Priority orders the queue.
type Priority string

const (
	PriorityLow    Priority = "low"
	PriorityNormal Priority = "normal"
	PriorityHigh   Priority = "high"
	PriorityUrgent Priority = "urgent"
)

// ParsePriority reads low, normal, high or urgent.
func ParsePriority(s string) (Priority, error) {
	switch p := Priority(s); p {
	case PriorityLow, PriorityNormal, PriorityHigh, PriorityUrgent:
		return p, nil
	}
	return "", check.Failf(ErrInvalidInput, "priority", "must be low, normal, high or urgent")
}

// DocumentKind is what an attachment is. The first five are the identity documents the
// support centre accepts for a two-factor reset.
type DocumentKind string

const (
	KindUKDrivingLicence DocumentKind = "uk_driving_licence"
	KindPassport         DocumentKind = "passport"
	KindUtilityBill      DocumentKind = "utility_bill"
	KindCouncilTaxBill   DocumentKind = "council_tax_bill"
	KindStudentCard      DocumentKind = "student_card"
	KindOther            DocumentKind = "other"
)

// IsIdentity reports an accepted identity document kind.
func (k DocumentKind) IsIdentity() bool {
	switch k {
	case KindUKDrivingLicence, KindPassport, KindUtilityBill, KindCouncilTaxBill, KindStudentCard:
		return true
	}
	return false
}

// ParseDocumentKind reads a document kind.
func ParseDocumentKind(s string) (DocumentKind, error) {
	if k := DocumentKind(s); k.IsIdentity() || k == KindOther {
		return k, nil
	}
	return "", check.Failf(ErrInvalidInput, "kind", "must be uk_driving_licence, passport, utility_bill, council_tax_bill, student_card or other")
}

// Decision is an agent's verdict on the identity documents.
type Decision string

const (
	DecisionVerified Decision = "verified"
	DecisionRejected Decision = "rejected"
)

// Attachment limits. They match adapters/attachments, which sniffs the bytes; the ticket
// checks the declared type and size so that a command cannot claim what the sniffer
// would refuse.
const (
	MaxAttachmentBytes = 10 << 20
	MaxAttachments     = 20
)

// AcceptedContentTypes are the file types an agent's browser shows safely.
var AcceptedContentTypes = []string{"image/jpeg", "image/png", "image/webp", "application/pdf"}

func acceptedContentType(ct string) bool {
	for _, a := range AcceptedContentTypes {
		if a == ct {
			return true
		}
	}
	return false
}
