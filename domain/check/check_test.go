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
	} {
		if !errors.Is(err, errBad) || !strings.Contains(err.Error(), "field appointment_id") {
			t.Errorf("%s: got %v, want the sentinel and the field name", name, err)
		}
	}
	if err := First(nil, ID(errBad, "ok", "id-1", 10), Text(errBad, "note", "fine", 10)); err != nil {
		t.Fatalf("valid values refused: %v", err)
	}
	if !Canonical(money.GBP("1.5")).Equal(money.GBP("1.50")) {
		t.Fatal("Canonical changed the value")
	}
}
