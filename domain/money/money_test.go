package money

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestParseAcceptsAtMostTwoDecimalPlaces(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
		ok   bool
	}{
		{"250", "250.00", true},
		{"250.5", "250.50", true},
		{"0.01", "0.01", true},
		{"-12.00", "-12.00", true},
		{"1.230", "1.23", true}, // a trailing zero is not extra precision
		{"1.234", "", false},
		{"", "", false},
		{"1e3", "", false},
		{"£5", "", false},
		{"1,000", "", false},
		{"1.", "", false},
		{".5", "", false},
		{"1.2.3", "", false},
		{"NaN", "", false},
	} {
		got, err := Parse(tc.in)
		if tc.ok != (err == nil) {
			t.Fatalf("Parse(%q) error = %v, want ok=%v", tc.in, err, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrInvalidAmount) {
			t.Fatalf("Parse(%q) error %v is not ErrInvalidAmount", tc.in, err)
		}
		if tc.ok && got.String() != tc.want {
			t.Fatalf("Parse(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestJSONRoundTripKeepsExactPence(t *testing.T) {
	a := GBP("1234567.89")
	b, _ := json.Marshal(a)
	if string(b) != `"1234567.89"` {
		t.Fatalf("marshal = %s", b)
	}
	var back Amount
	if err := json.Unmarshal(b, &back); err != nil || !back.Equal(a) {
		t.Fatalf("round trip = %v, %v", back, err)
	}
	if FromPence(123).String() != "1.23" || GBP("1.23").Pence() != 123 {
		t.Fatal("pence conversion is off")
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"1", "1.23", "-0.01", "1.234", "abc", "1e5", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s)
		if err != nil {
			return
		}
		back, err := Parse(a.String())
		if err != nil || !back.Equal(a) {
			t.Fatalf("%q parsed to %s which does not round-trip: %v", s, a, err)
		}
	})
}
