package cli

import (
	"errors"
	"strings"
	"testing"

	"ledgerdesk/domain/money"
)

// FuzzPaymentsAmountInput: whatever a clerk types as an amount, it is either refused as
// bad input or read as an exact amount of at most two decimal places that prints back as
// the same value; it never panics and never rounds.
func FuzzPaymentsAmountInput(f *testing.F) {
	for _, s := range []string{"250", "250.5", "250.50", "£12.34", "10.005", "-1", "0", "1e3", "", " 7.10 ", "1,000.00", "0.001", "99999999999999.99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Amount("amount", s)
		if err != nil {
			if !errors.Is(err, ErrBadInput) || !errors.Is(err, money.ErrInvalidAmount) {
				t.Fatalf("%q: error %v is not a bad-input amount error", s, err)
			}
			return
		}
		back, err := money.Parse(a.String())
		if err != nil || !back.Equal(a) {
			t.Fatalf("%q read as %s, which does not read back (%v)", s, a, err)
		}
		in := strings.TrimPrefix(strings.TrimSpace(s), "£")
		if exact, err := money.Parse(in); err != nil || !exact.Equal(a) {
			t.Fatalf("%q read as %s, not as typed", s, a)
		}
	})
}

// FuzzPaymentsDateAndTimeInput: dates and times are read or refused as bad input, never
// guessed.
func FuzzPaymentsDateAndTimeInput(f *testing.F) {
	for _, s := range []string{"2025-02-03", "2025-13-01", "2025-02-30", "03/02/2025", "2025-02-10T14:30:00Z", "2025-02-10 14:30", "", "now"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, err := Date("cutoff", s); err != nil {
			if !errors.Is(err, ErrBadInput) {
				t.Fatalf("date %q: %v is not bad input", s, err)
			}
		} else if d.String() != strings.TrimSpace(s) {
			t.Fatalf("date %q read as %s", s, d)
		}
		if tm, err := Time("at", s); err != nil {
			if !errors.Is(err, ErrBadInput) {
				t.Fatalf("time %q: %v is not bad input", s, err)
			}
		} else if tm.IsZero() {
			t.Fatalf("time %q read as the zero time", s)
		}
	})
}
