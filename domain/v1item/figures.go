package v1item

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"ledgerdesk/domain/check"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
)

// Column names of V1's export, used as field names in every message so a clerk can find
// the cell.
const (
	FieldReference        = "v1_reference"
	FieldClinicianID      = "clinician_id"
	FieldClinicianName    = "clinician_name"
	FieldPatientReference = "patient_reference"
	FieldWorkDate         = "work_date"
	FieldDescription      = "description"
	FieldAmount           = "amount"
	FieldStatus           = "status"
)

// Fields lists the columns in export order.
func Fields() []string {
	return []string{FieldReference, FieldClinicianID, FieldClinicianName, FieldPatientReference,
		FieldWorkDate, FieldDescription, FieldAmount, FieldStatus}
}

// Limits on what one V1 item may hold. They are generous for real data and stop a
// corrupt export from filling the event store.
const (
	MaxReferenceLen = 64   // v1_reference; clinician ids and actors have check.MaxIDLength
	MaxNameLen      = 200  // clinician_name, patient_reference
	MaxTextLen      = 2000 // description, notes, reasons
	MinYear         = 2000 // work dates outside these years are typing mistakes
	MaxYear         = 2099
)

// MaxAmountPence is the largest single V1 pending payment accepted, £1,000,000.00; anything
// bigger is almost certainly a misplaced decimal point. It fits the reconciliation read
// model's numeric(12,2) columns.
const MaxAmountPence = 1_000_000_00

// MaxAmount is MaxAmountPence as money.
var MaxAmount = money.FromPence(MaxAmountPence)

// Status is V1's settlement state of the item when it was exported.
type Status string

const (
	StatusPending Status = "pending"
	StatusPaid    Status = "paid"
)

// ErrInvalidStatus is wrapped by ParseStatus.
var ErrInvalidStatus = errors.New("invalid status")

// ParseStatus reads "pending" or "paid", ignoring case and surrounding spaces.
func ParseStatus(s string) (Status, error) {
	switch Status(strings.ToLower(strings.TrimSpace(s))) {
	case StatusPending:
		return StatusPending, nil
	case StatusPaid:
		return StatusPaid, nil
	}
	return "", fmt.Errorf("%w: %q is neither \"pending\" nor \"paid\"", ErrInvalidStatus, s)
}

// Figures are what V1 says about one item: the fields two imports must agree on.
type Figures struct {
	Reference        string
	ClinicianID      string
	ClinicianName    string
	PatientReference string
	WorkDate         ledger.Date
	Description      string
	Amount           money.Amount
	Status           Status
}

// Problem is one thing wrong with one field.
type Problem struct {
	Field  string
	Reason string
}

func (p Problem) String() string { return p.Field + ": " + p.Reason }

// Check lists everything wrong with the figures, in column order; none means valid.
func (f Figures) Check() []Problem {
	var ps []Problem
	add := func(field, reason string) {
		if reason != "" {
			ps = append(ps, Problem{field, reason})
		}
	}
	add(FieldReference, checkText(f.Reference, true, MaxReferenceLen, false))
	// The clinician id is the id every other aggregate knows the clinician by, so it meets
	// the same rules.
	add(FieldClinicianID, check.IDReason(f.ClinicianID, check.MaxIDLength))
	add(FieldClinicianName, checkText(f.ClinicianName, true, MaxNameLen, false))
	add(FieldPatientReference, checkText(f.PatientReference, true, MaxNameLen, false))
	add(FieldWorkDate, CheckDate(f.WorkDate))
	add(FieldDescription, checkText(f.Description, false, MaxTextLen, true))
	switch {
	case !f.Amount.IsPositive():
		add(FieldAmount, fmt.Sprintf("£%s is not more than £0.00", f.Amount))
	case f.Amount.Cmp(MaxAmount) > 0:
		add(FieldAmount, fmt.Sprintf("£%s is more than the £%s limit for one item", f.Amount, MaxAmount))
	}
	if f.Status != StatusPending && f.Status != StatusPaid {
		add(FieldStatus, fmt.Sprintf("%q is neither \"pending\" nor \"paid\"", string(f.Status)))
	}
	return ps
}

// CheckDate explains what is wrong with a work date, or returns "".
func CheckDate(d ledger.Date) string { return check.DateReason(d, MinYear, MaxYear) }

// checkText explains what is wrong with a text field, or returns "". Multi-line text may
// hold line breaks and tabs; no field may hold other control characters, invalid UTF-8
// (it would not survive JSON unchanged, so a repeat import would look like a conflict) or
// spaces at either end (two imports must compare equal exactly).
func checkText(s string, required bool, maxLen int, multiLine bool) string {
	switch {
	case s == "" && required:
		return "is empty"
	case !utf8.ValidString(s):
		return "contains characters that are not valid UTF-8 text"
	case len(s) > maxLen:
		return fmt.Sprintf("is %d bytes long; the limit is %d", len(s), maxLen)
	case strings.TrimSpace(s) != s:
		return "has spaces at the start or end"
	}
	for _, r := range s {
		if multiLine && (r == '\n' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) {
			return fmt.Sprintf("contains the control character %U", r)
		}
	}
	return ""
}

// Diff lists the fields whose values differ, in column order.
func (f Figures) Diff(g Figures) []string {
	var d []string
	if f.Reference != g.Reference {
		d = append(d, FieldReference)
	}
	if f.ClinicianID != g.ClinicianID {
		d = append(d, FieldClinicianID)
	}
	if f.ClinicianName != g.ClinicianName {
		d = append(d, FieldClinicianName)
	}
	if f.PatientReference != g.PatientReference {
		d = append(d, FieldPatientReference)
	}
	if f.WorkDate != g.WorkDate {
		d = append(d, FieldWorkDate)
	}
	if f.Description != g.Description {
		d = append(d, FieldDescription)
	}
	if !f.Amount.Equal(g.Amount) {
		d = append(d, FieldAmount)
	}
	if f.Status != g.Status {
		d = append(d, FieldStatus)
	}
	return d
}

// Fingerprint is a digest of the figures, equal exactly when Diff finds nothing: the same
// row exported twice has the same fingerprint, so a command derived from it is the same
// command and an interrupted import can simply be run again.
func (f Figures) Fingerprint() string {
	h := sha256.New()
	for _, s := range []string{f.Reference, f.ClinicianID, f.ClinicianName, f.PatientReference,
		f.WorkDate.String(), f.Description, f.Amount.String(), string(f.Status)} {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// WorkSubject is the data subject of the personal data in V1 items for work by this
// clinician for this patient. Lengths keep "a/b"+"c" apart from "a"+"b/c".
func WorkSubject(clinicianID, patientReference string) string {
	return fmt.Sprintf("v1work-%d:%s/%s", len(clinicianID), clinicianID, patientReference)
}

// StreamCategory names the V1 items' streams: "v1item-<reference>".
const StreamCategory = "v1item"

// StreamID is the stream of the item with this V1 reference.
func StreamID(reference string) string { return StreamCategory + "-" + reference }
