package check

import (
	"errors"
	"strings"
	"testing"
	"time"

	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
)

var errBad = errors.New("bad command")

func TestEachCheckNamesTheFieldAndWrapsTheSentinel(t *testing.T) {
	for name, err := range map[string]error{
		"empty id":      ID(errBad, "appointment_id", " ", 10),
		"long id":       ID(errBad, "appointment_id", strings.Repeat("x", 11), 10),
		"control in id": ID(errBad, "appointment_id", "a\nb", 10),
		"no time":       Time(errBad, "appointment_id", time.Time{}),
		"zero amount":   Positive(errBad, "appointment_id", "the fee", money.Zero),
		"negative":      Positive(errBad, "appointment_id", "", money.GBP("-1.00")),
		"no date":       Date(errBad, "appointment_id", ledger.Date{}),
		"year":          Date(errBad, "appointment_id", ledger.Date{Year: 1999, Month: 1, Day: 1}),
		"not a day":     Date(errBad, "appointment_id", ledger.Date{Year: 2025, Month: 2, Day: 30}),
		"empty text":    Text(errBad, "appointment_id", "", 5),
		"long text":     Text(errBad, "appointment_id", "abcdef", 5),
		"invalid utf8":  Text(errBad, "appointment_id", "\xff", 5),
		"space in id":   ID(errBad, "appointment_id", "a b", 10),
		"narrow year":   DateBetween(errBad, "appointment_id", ledger.Date{Year: 2100, Month: 1, Day: 1}, 2000, 2099),
		"not a digest":  SHA256Hex(errBad, "appointment_id", strings.Repeat("A", 64)),
		"control":       prose(Prose(errBad, "appointment_id", "a\x1bb", 10, true)),
		"blank prose":   prose(Prose(errBad, "appointment_id", " \n ", 10, true)),
		"long prose":    prose(Prose(errBad, "appointment_id", "abcdef", 5, false)),
		"newline":       prose(Prose(errBad, "appointment_id", "a\nb", 5, false)),
	} {
		if !errors.Is(err, errBad) || !errors.Is(err, ErrInvalidInput) || !strings.Contains(err.Error(), "field appointment_id") {
			t.Errorf("%s: got %v, want the sentinel, ErrInvalidInput and the field name", name, err)
		}
	}
	if got, err := Prose(errBad, "body", "  line one\n\tline two \n", 20, true); err != nil || got != "line one\n\tline two" {
		t.Errorf("Prose = %q, %v; want the text trimmed", got, err)
	}
	if err := SHA256Hex(errBad, "sha256", strings.Repeat("a1", 32)); err != nil {
		t.Errorf("a digest was refused: %v", err)
	}
	if err := First(nil, ID(errBad, "ok", "id-1", 10), Text(errBad, "note", "fine", 10)); err != nil {
		t.Fatalf("valid values refused: %v", err)
	}
	if !Canonical(money.GBP("1.5")).Equal(money.GBP("1.50")) {
		t.Fatal("Canonical changed the value")
	}
}

func prose(_ string, err error) error { return err }

// An aggregate's sentinel made by Sentinel is matched by ErrInvalidInput, and a check with
// it wraps ErrInvalidInput once, under the aggregate's name.
func TestSentinelWrapsTheSharedOne(t *testing.T) {
	s := Sentinel("appointment")
	if !errors.Is(s, ErrInvalidInput) || s.Error() != "appointment: invalid input" {
		t.Fatalf("Sentinel = %v", s)
	}
	err := ID(s, "clinician_id", strings.Repeat("c", MaxIDLength+1), MaxIDLength)
	if !errors.Is(err, s) || !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("%v does not wrap both sentinels", err)
	}
	if strings.Count(err.Error(), "invalid input") != 1 || !strings.HasPrefix(err.Error(), "appointment: invalid input: field clinician_id: ") {
		t.Fatalf("message %q", err)
	}
	if err := ID(s, "clinician_id", strings.Repeat("c", MaxIDLength), MaxIDLength); err != nil {
		t.Fatalf("an id of MaxIDLength refused: %v", err)
	}
	if err := Failf(nil, "x", "bad"); !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("Failf(nil) = %v", err)
	}
}
