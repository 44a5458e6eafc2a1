// Package money is the practice's one currency, pounds sterling, as an exact decimal.
//
// Amounts are parsed from strings, never from floats, and carry at most two decimal places:
// anything finer is a validation error rather than a silent rounding, because a penny that
// appears or disappears in a clinician's pay is a real complaint.
package money

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// ErrInvalidAmount is wrapped by every parse failure so callers can test with errors.Is.
var ErrInvalidAmount = errors.New("invalid amount")

// Amount is a GBP amount with at most two decimal places. The zero value is £0.00.
type Amount struct{ d decimal.Decimal }

// Zero is £0.00.
var Zero = Amount{}

// Parse reads a plain decimal such as "250", "250.5" or "-12.00". It accepts no currency
// sign, no thousands separator and no exponent: those belong to the input formats that
// need them (the V1 import, say), which normalise before calling Parse.
func Parse(s string) (Amount, error) {
	if s == "" {
		return Zero, fmt.Errorf("%w: empty", ErrInvalidAmount)
	}
	for i, r := range s {
		if (r < '0' || r > '9') && r != '.' && !(i == 0 && (r == '-' || r == '+')) {
			return Zero, fmt.Errorf("%w: %q is not a plain decimal number", ErrInvalidAmount, s)
		}
	}
	if strings.Count(s, ".") > 1 || strings.HasSuffix(s, ".") || strings.HasPrefix(strings.TrimLeft(s, "+-"), ".") {
		return Zero, fmt.Errorf("%w: %q is not a plain decimal number", ErrInvalidAmount, s)
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return Zero, fmt.Errorf("%w: %q: %v", ErrInvalidAmount, s, err)
	}
	if d.Exponent() < -2 && !d.Equal(d.Truncate(2)) {
		return Zero, fmt.Errorf("%w: %q has more than 2 decimal places", ErrInvalidAmount, s)
	}
	return Amount{d.Truncate(2)}, nil
}

// GBP parses a literal known to be valid; for tests and fixtures only.
func GBP(s string) Amount {
	a, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return a
}

// FromPence builds an amount from a whole number of pence.
func FromPence(p int64) Amount { return Amount{decimal.New(p, -2)} }

// Pence is the amount as a whole number of pence.
func (a Amount) Pence() int64 { return a.d.Shift(2).IntPart() }

func (a Amount) Add(b Amount) Amount      { return Amount{a.d.Add(b.d)} }
func (a Amount) Sub(b Amount) Amount      { return Amount{a.d.Sub(b.d)} }
func (a Amount) Neg() Amount              { return Amount{a.d.Neg()} }
func (a Amount) Cmp(b Amount) int         { return a.d.Cmp(b.d) }
func (a Amount) Equal(b Amount) bool      { return a.d.Equal(b.d) }
func (a Amount) IsZero() bool             { return a.d.IsZero() }
func (a Amount) IsPositive() bool         { return a.d.IsPositive() }
func (a Amount) IsNegative() bool         { return a.d.IsNegative() }
func (a Amount) Decimal() decimal.Decimal { return a.d }

// String is always two decimal places: "250.00".
func (a Amount) String() string { return a.d.StringFixed(2) }

// MarshalJSON writes a JSON string, so no consumer ever reads money as a float.
func (a Amount) MarshalJSON() ([]byte, error) { return json.Marshal(a.String()) }

// UnmarshalJSON accepts a JSON string (the form we write) and, for leniency with hand-written
// fixtures, a bare JSON number token, which is parsed from its text and never through float64.
func (a *Amount) UnmarshalJSON(b []byte) error {
	s := string(b)
	if len(s) >= 2 && s[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	}
	v, err := Parse(s)
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// Sum adds amounts.
func Sum(as ...Amount) Amount {
	t := Zero
	for _, a := range as {
		t = t.Add(a)
	}
	return t
}
