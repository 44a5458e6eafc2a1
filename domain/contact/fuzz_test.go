package contact_test

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"ledgerdesk/domain/contact"
)

// checkRoundTrip is the property every parser keeps: no panic; a rejection is a
// *FieldError of the right kind; an accepted value's normal form parses to itself.
func checkRoundTrip(t *testing.T, parse func(string) (string, error), kind error, in string) string {
	t.Helper()
	out, err := parse(in)
	if err != nil {
		var fe *contact.FieldError
		if !errors.As(err, &fe) || !errors.Is(err, kind) {
			t.Fatalf("%q: error %v is not a %v *FieldError", in, err, kind)
		}
		return ""
	}
	again, err := parse(out)
	if err != nil || again != out {
		t.Fatalf("%q normalised to %q, which parses to %q, %v", in, out, again, err)
	}
	return out
}

func FuzzParseEmail(f *testing.F) {
	for _, s := range []string{"jo@example.co.uk", "Jo <jo@example.com>", `"a b"@x.io`, "a@b", "A@B.CO", "x@[1.2.3.4]", "a..b@c.de"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := checkRoundTrip(t, contact.ParseEmail, contact.ErrInvalidEmail, s)
		if out != "" && (out != strings.ToLower(out) || len(out) > contact.MaxEmailLength || strings.Count(out, "@") != 1) {
			t.Fatalf("%q accepted as %q", s, out)
		}
	})
}

func FuzzParsePhone(f *testing.F) {
	for _, s := range []string{"07700 900123", "+44 (0)20 7946 0000", "+1 555", "0044 7700 900123", "(0)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := checkRoundTrip(t, contact.ParsePhone, contact.ErrInvalidPhone, s)
		if out != "" && (!strings.HasPrefix(out, "+44") || len(out) < 12 || len(out) > 13) {
			t.Fatalf("%q accepted as %q", s, out)
		}
	})
}

func FuzzParseName(f *testing.F) {
	for _, s := range []string{"Jo Bloggs", " a\u00a0 b ", "\u202e", "1", "Zoë"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := checkRoundTrip(t, contact.ParseName, contact.ErrInvalidName, s)
		if out != "" && (!utf8.ValidString(out) || utf8.RuneCountInString(out) > contact.MaxNameLength) {
			t.Fatalf("%q accepted as %q", s, out)
		}
	})
}

func FuzzParseIP(f *testing.F) {
	for _, s := range []string{"203.0.113.7", "::ffff:1.2.3.4", "fe80::1%eth0", "::", "2001:db8::1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := checkRoundTrip(t, contact.ParseIP, contact.ErrInvalidIP, s)
		if strings.Contains(out, "%") {
			t.Fatalf("%q accepted with a zone as %q", s, out)
		}
	})
}

func FuzzParseBankDetails(f *testing.F) {
	for _, s := range []string{"12-34-56", "123456", "12345678", "1-2-3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if out := checkRoundTrip(t, contact.ParseSortCode, contact.ErrInvalidSortCode, s); out != "" && len(out) != 6 {
			t.Fatalf("sort code %q accepted as %q", s, out)
		}
		if out := checkRoundTrip(t, contact.ParseAccountNumber, contact.ErrInvalidAccountNumber, s); out != "" && len(out) != 8 {
			t.Fatalf("account number %q accepted as %q", s, out)
		}
	})
}

func FuzzParseAddress(f *testing.F) {
	f.Add("Flat 2", "", "10 Downing St", "London", "sw1a2aa")
	f.Add("", "x", "", "", "GIR0AA")
	f.Fuzz(func(t *testing.T, l1, l2, l3, town, pc string) {
		checkRoundTrip(t, contact.ParsePostcode, contact.ErrInvalidPostcode, pc)
		in := contact.Address{Line1: l1, Line2: l2, Line3: l3, Town: town, Postcode: pc}
		out, err := contact.ParseAddress(in)
		if err != nil {
			if !errors.Is(err, contact.ErrInvalid) {
				t.Fatalf("error %v is not ErrInvalid", err)
			}
			return
		}
		again, err := contact.ParseAddress(out)
		if err != nil || again != out {
			t.Fatalf("%+v normalised to %+v, which parses to %+v, %v", in, out, again, err)
		}
	})
}
