// Package contact validates and normalises the personal details people type into the portal
// and the support site: email addresses, UK phone numbers, names, IP addresses, UK bank
// details and UK postal addresses.
//
// Every parser returns the normalised form that events store and that uniqueness checks
// compare, so the same person typing "Jo@Example.co.uk " and "jo@example.co.uk" is one
// address. A normalised value always parses to itself. A rejection is a *FieldError naming
// the field and the reason in words the person can act on; it never repeats the value,
// because the value is personal data and error messages end up in logs.
package contact

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"ledgerdesk/domain/check"
)

// The kinds of rejection, for errors.Is. Every *FieldError also matches ErrInvalid, which
// wraps check.ErrInvalidInput, the sentinel shared by every aggregate.
var (
	ErrInvalid              = check.Sentinel("contact detail")
	ErrInvalidEmail         = errors.New("invalid email address")
	ErrInvalidPhone         = errors.New("invalid phone number")
	ErrInvalidName          = errors.New("invalid name")
	ErrInvalidIP            = errors.New("invalid IP address")
	ErrInvalidSortCode      = errors.New("invalid sort code")
	ErrInvalidAccountNumber = errors.New("invalid account number")
	ErrInvalidAddress       = errors.New("invalid postal address")
	ErrInvalidPostcode      = errors.New("invalid postcode")
)

// FieldError says which field was wrong and why.
type FieldError struct {
	Field  string
	Reason string
	kind   error
}

func (e *FieldError) Error() string {
	return e.kind.Error() + ": field " + e.Field + ": " + e.Reason
}

// Unwrap lets errors.Is match both the specific kind (ErrInvalidEmail…) and ErrInvalid.
func (e *FieldError) Unwrap() []error { return []error{e.kind, ErrInvalid} }

// InField renames the field of a *FieldError, for callers that validate, say, a bank
// account holder's name with ParseName but want the error to point at "account_name".
// Any other error is returned unchanged.
func InField(field string, err error) error {
	var fe *FieldError
	if !errors.As(err, &fe) {
		return err
	}
	return &FieldError{Field: field, Reason: fe.Reason, kind: fe.kind}
}

func fail(kind error, field, reason string) error {
	return &FieldError{Field: field, Reason: reason, kind: kind}
}

// hidden reports characters that must never appear in a name or address line: control
// characters and invisible formatting characters (zero-width joiners, bidirectional
// overrides), which are how a displayed name is made to look like someone else's.
func hidden(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError
}

// cleanLine checks a one-line human text and collapses its whitespace runs to single spaces.
func cleanLine(kind error, field, s string, maxRunes int, required bool) (string, error) {
	if !utf8.ValidString(s) {
		return "", fail(kind, field, "contains characters that are not valid text")
	}
	if strings.ContainsFunc(s, hidden) {
		return "", fail(kind, field, "contains control or invisible formatting characters")
	}
	out := strings.Join(strings.Fields(s), " ")
	if out == "" {
		if required {
			return "", fail(kind, field, "is required")
		}
		return "", nil
	}
	if utf8.RuneCountInString(out) > maxRunes {
		return "", fail(kind, field, "is too long")
	}
	return out, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
