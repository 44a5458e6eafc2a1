package v1csv

import (
	"strings"
	"testing"
	"time"

	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
)

// Every amount the parser accepts reads back the same in every style the generator writes,
// and nothing it accepts is zero, negative or finer than a penny.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"1", "£1,234.50", " 12.500 ", "12.345", "-1", "1,23", ".5", "£", "1e3", "0.00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, reason := parseAmount(s)
		if reason != "" {
			if !a.IsZero() {
				t.Fatalf("%q rejected (%s) but returned %s", s, reason, a)
			}
			return
		}
		if !a.IsPositive() || a.Cmp(money.GBP("1000000")) > 0 || a.Pence() < 1 {
			t.Fatalf("%q accepted as %s", s, a)
		}
		for style := range 4 {
			back, reason := parseAmount(formatAmount(a, style))
			if reason != "" || !back.Equal(a) {
				t.Fatalf("%s in style %d (%q) reads back as %s, %s", a, style, formatAmount(a, style), back, reason)
			}
		}
	})
}

// Every date the parser accepts is a real calendar date, and its ISO and day-first forms
// read back as the same date.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2025-01-15", "15/01/2025", "5/1/2025", "2025-02-30", "1/13/2025", "2025-1-5", "+025-01-15"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, reason := parseDate(s)
		if reason != "" {
			return
		}
		if ledger.DateOf(time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)) != d {
			t.Fatalf("%q accepted as impossible %v", s, d)
		}
		for _, form := range []string{d.String(), strings.Join([]string{pad(d.Day), pad(int(d.Month)), d.String()[:4]}, "/")} {
			if back, reason := parseDate(form); reason != "" || back != d {
				t.Fatalf("%q → %v; %q reads back as %v, %s", s, d, form, back, reason)
			}
		}
	})
}

func pad(n int) string {
	if n < 10 {
		return "0" + string(rune('0'+n))
	}
	return string(rune('0'+n/10)) + string(rune('0'+n%10))
}

func TestGroupThousands(t *testing.T) {
	for in, want := range map[string]string{"1.00": "1.00", "123.45": "123.45", "1234.50": "1,234.50", "1234567.89": "1,234,567.89", "123456.00": "123,456.00"} {
		if got := groupThousands(in); got != want {
			t.Errorf("groupThousands(%s) = %s, want %s", in, got, want)
		}
	}
}
