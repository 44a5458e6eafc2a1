// Package check holds the field checks every aggregate applies to its commands, so that a
// malformed request is refused, with the field and the reason, before anything is stored
// for ever in the history. Every failed check wraps ErrInvalidInput, the one sentinel for
// bad input, and the aggregate's own sentinel (made with Sentinel, so it wraps ErrInvalidInput
// too), so callers may match errors.Is(err, check.ErrInvalidInput) or
// errors.Is(err, appointment.ErrInvalidInput) alike.
package check

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
)

// ErrInvalidInput is the one sentinel for a field that fails its check, in every aggregate
// and every layer above: the HTTP API answers it with 400.
var ErrInvalidInput = errors.New("invalid input")

// Sentinel makes an aggregate's own invalid-input error: its message names the aggregate
// and it wraps ErrInvalidInput.
func Sentinel(aggregate string) error { return fmt.Errorf("%s: %w", aggregate, ErrInvalidInput) }

// Dates outside these years are typing mistakes, not work.
const MinYear, MaxYear = 2000, 2999

// MaxIDLength bounds every id a command carries, in every aggregate, so an id one aggregate
// accepts (a clinician's, an invoice's) is never refused by another. UUID text is 36.
const MaxIDLength = 128

// Failf is the error of a failed check of field: it wraps sentinel and, if sentinel does
// not already, ErrInvalidInput.
func Failf(sentinel error, field, format string, args ...any) error {
	reason := fmt.Sprintf(format, args...)
	if sentinel == nil {
		sentinel = ErrInvalidInput
	}
	if errors.Is(sentinel, ErrInvalidInput) {
		return fmt.Errorf("%w: field %s: %s", sentinel, field, reason)
	}
	return fmt.Errorf("%w: %w: field %s: %s", sentinel, ErrInvalidInput, field, reason)
}

// IDPunctuation are the characters no id may hold, in any aggregate: quotes, percent,
// semicolon, backslash, slash, angle brackets and the backtick. An id travels in URL
// paths, CSV files, log lines and shell commands; none of these characters belongs in
// one, and each is a way to break out of one of those places.
const IDPunctuation = "\"'%;\\/<>`"

// IDReason says what is wrong with an id at most max bytes long, or returns "": it must
// not be blank or hold spaces, control characters, invalid UTF-8 or IDPunctuation. It is
// the one id rule of every aggregate.
func IDReason(v string, max int) string {
	switch {
	case strings.TrimSpace(v) == "":
		return "is empty"
	case len(v) > max:
		return fmt.Sprintf("is %d bytes long; the limit is %d", len(v), max)
	case !utf8.ValidString(v):
		return "contains characters that are not valid UTF-8 text"
	}
	for _, r := range v {
		switch {
		case unicode.IsControl(r):
			return fmt.Sprintf("contains the control character %U", r)
		case unicode.IsSpace(r):
			return "contains a space; an id cannot"
		case strings.ContainsRune(IDPunctuation, r):
			return fmt.Sprintf("contains %q; an id cannot hold any of %s", r, IDPunctuation)
		}
	}
	return ""
}

// ID refuses an empty id, one longer than max, or one with characters an id cannot have.
// Ids that cross aggregates are checked against MaxIDLength.
func ID(sentinel error, field, v string, max int) error {
	if r := IDReason(v, max); r != "" {
		return Failf(sentinel, field, "%s", r)
	}
	return nil
}

// Time refuses a missing time, or one whose year (in UTC) is outside MinYear–MaxYear:
// such a time is a typing mistake, and one past 9999 or before 4713 BC cannot even be
// stored.
func Time(sentinel error, field string, t time.Time) error {
	if t.IsZero() {
		return Failf(sentinel, field, "no time given")
	}
	if y := t.UTC().Year(); y < MinYear || y > MaxYear {
		return Failf(sentinel, field, "year %d is outside %d–%d", y, MinYear, MaxYear)
	}
	return nil
}

// StreamReason says what is wrong with the name of a stream ("invoice-<id>"), or returns
// "": it must not be empty, hold control characters or invalid UTF-8 (PostgreSQL cannot
// store a NUL, so such a name fails there with an internal error, not a refusal), or be
// longer than an id and its category.
func StreamReason(stream string) string {
	switch {
	case stream == "":
		return "is empty"
	case len(stream) > 2*MaxIDLength:
		return fmt.Sprintf("is %d bytes long; the limit is %d", len(stream), 2*MaxIDLength)
	case !utf8.ValidString(stream):
		return "contains characters that are not valid UTF-8 text"
	}
	for _, r := range stream {
		if unicode.IsControl(r) {
			return fmt.Sprintf("contains the control character %U", r)
		}
	}
	return ""
}

// Stream refuses a stream name StreamReason finds fault with; the field is named after
// the stream's category ("invoice id" for "invoice-…").
func Stream(sentinel error, stream string) error {
	r := StreamReason(stream)
	if r == "" {
		return nil
	}
	field := "id"
	if cat, _, ok := strings.Cut(stream, "-"); ok && cat != "" && StreamReason(cat) == "" && len(cat) <= 32 {
		field = cat + " id"
	}
	return Failf(sentinel, field, "%s", r)
}

// Positive refuses an amount of £0.00 or less; what names the amount in the message
// ("the fee", or "" for a plain "must be more than £0.00").
func Positive(sentinel error, field, what string, a money.Amount) error {
	if a.IsPositive() {
		return nil
	}
	if what != "" {
		return Failf(sentinel, field, "%s must be more than £0.00, got £%s", what, a)
	}
	return Failf(sentinel, field, "must be more than £0.00, got £%s", a)
}

// Amount refuses an amount of £0.00 or less, or one more than max: every amount a command
// carries has a stated maximum, so a figure no read model column can hold (or a misplaced
// decimal point) is refused before it is stored for ever. what names the amount as Positive.
func Amount(sentinel error, field, what string, a, max money.Amount) error {
	if err := Positive(sentinel, field, what, a); err != nil {
		return err
	}
	if a.Cmp(max) > 0 {
		if what != "" {
			return Failf(sentinel, field, "%s of £%s is more than the maximum of £%s", what, a, max)
		}
		return Failf(sentinel, field, "£%s is more than the maximum of £%s", a, max)
	}
	return nil
}

// Date refuses a missing date, a year outside MinYear–MaxYear, or a day the calendar does
// not have.
func Date(sentinel error, field string, d ledger.Date) error {
	return DateBetween(sentinel, field, d, MinYear, MaxYear)
}

// DateBetween is Date for a narrower range of years.
func DateBetween(sentinel error, field string, d ledger.Date, minYear, maxYear int) error {
	if r := DateReason(d, minYear, maxYear); r != "" {
		return Failf(sentinel, field, "%s", r)
	}
	return nil
}

// DateReason says what is wrong with a date that must fall in minYear–maxYear, or returns "".
func DateReason(d ledger.Date, minYear, maxYear int) string {
	switch {
	case d.IsZero():
		return "no date given"
	case d.Year < minYear || d.Year > maxYear:
		return fmt.Sprintf("year %d is outside %d–%d", d.Year, minYear, maxYear)
	case ledger.DateOf(time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)) != d:
		return fmt.Sprintf("%s is not a real calendar date", d)
	}
	return ""
}

// Text refuses empty text, invalid UTF-8, control characters other than line breaks and
// tabs (a NUL cannot even be stored), or more than max characters.
func Text(sentinel error, field, v string, max int) error {
	switch {
	case strings.TrimSpace(v) == "":
		return Failf(sentinel, field, "is empty")
	case !utf8.ValidString(v):
		return Failf(sentinel, field, "is not valid text")
	case strings.ContainsFunc(v, badInText):
		return Failf(sentinel, field, "contains control characters")
	case utf8.RuneCountInString(v) > max:
		return Failf(sentinel, field, "longer than %d characters", max)
	}
	return nil
}

// TextReason says what is wrong with optional text (empty is fine): invalid UTF-8 or a
// control character other than a line break or tab; or returns "".
func TextReason(v string) string {
	switch {
	case !utf8.ValidString(v):
		return "is not valid text"
	case strings.ContainsFunc(v, badInText):
		return "contains control characters"
	}
	return ""
}

func badInText(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }

// Prose checks text a person wrote and returns it with its ends trimmed: after trimming it
// must not be empty or longer than max characters, and it must be valid UTF-8 without
// control characters, except that multi-line text may hold line breaks and tabs.
func Prose(sentinel error, field, s string, max int, multiline bool) (string, error) {
	if !utf8.ValidString(s) {
		return "", Failf(sentinel, field, "contains characters that are not valid text")
	}
	bad := func(r rune) bool {
		return unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t'))
	}
	if strings.ContainsFunc(s, bad) {
		return "", Failf(sentinel, field, "contains control characters")
	}
	t := strings.TrimSpace(s)
	if t == "" {
		return "", Failf(sentinel, field, "is empty")
	}
	if utf8.RuneCountInString(t) > max {
		return "", Failf(sentinel, field, "longer than %d characters", max)
	}
	return t, nil
}

// SHA256Hex refuses anything but 64 lower-case hex digits.
func SHA256Hex(sentinel error, field, h string) error {
	if len(h) != 64 || strings.Trim(h, "0123456789abcdef") != "" {
		return Failf(sentinel, field, "must be a SHA-256 digest in 64 lower-case hex digits")
	}
	return nil
}

// First returns the first failed check, so a command is refused for its first problem.
func First(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Canonical gives an amount one in-memory shape per value (pence at two places), so that
// events compare equal whether they were decided now or read back from JSON.
func Canonical(a money.Amount) money.Amount { return money.FromPence(a.Pence()) }
