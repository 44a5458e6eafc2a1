package contact

import (
	"regexp"
	"strings"
)

// MaxAddressLine is the longest address line or town, in characters.
const MaxAddressLine = 80

// Address is a UK postal address as the portal holds it and as an agent compares it with
// the address on an identity document.
type Address struct {
	Line1    string `json:"line1"`
	Line2    string `json:"line2,omitempty"`
	Line3    string `json:"line3,omitempty"`
	Town     string `json:"town"`
	Postcode string `json:"postcode"`
}

// ParseAddress checks every line and the postcode and returns the normalised address:
// whitespace collapsed, empty optional lines moved to the end, postcode in its printed form.
func ParseAddress(a Address) (Address, error) {
	var lines []string
	for i, raw := range []string{a.Line1, a.Line2, a.Line3} {
		field := [...]string{"address_line1", "address_line2", "address_line3"}[i]
		l, err := cleanLine(ErrInvalidAddress, field, raw, MaxAddressLine, i == 0)
		if err != nil {
			return Address{}, err
		}
		if l != "" {
			lines = append(lines, l)
		}
	}
	town, err := cleanLine(ErrInvalidAddress, "town", a.Town, MaxAddressLine, true)
	if err != nil {
		return Address{}, err
	}
	pc, err := ParsePostcode(a.Postcode)
	if err != nil {
		return Address{}, err
	}
	lines = append(lines, "", "")
	return Address{Line1: lines[0], Line2: lines[1], Line3: lines[2], Town: town, Postcode: pc}, nil
}

// postcodeRE is the UK government's postcode pattern (outward code then inward code),
// written for the postcode with its space removed. Letters never used in a given position
// (Q, V, X first; I, J, Z second; C, I, K, M, O, V in the inward code) are excluded.
var postcodeRE = regexp.MustCompile(`^(GIR0AA|[A-PR-UWYZ]([0-9][0-9A-HJKPS-UW]?|[A-HK-Y][0-9][0-9ABEHMNPRV-Y]?)[0-9][ABD-HJLNP-UW-Z]{2})$`)

// ParsePostcode accepts a UK postcode in any case with or without its space and returns
// the printed form, upper case with one space before the last three characters ("SW1A 1AA").
func ParsePostcode(s string) (string, error) {
	const field = "postcode"
	t := strings.TrimSpace(s)
	if t == "" {
		return "", fail(ErrInvalidPostcode, field, "is required")
	}
	if len(t) > 10 {
		return "", fail(ErrInvalidPostcode, field, "is too long to be a UK postcode")
	}
	// Upper-case ASCII only: strings.ToUpper would turn some non-ASCII letters (ı, ſ)
	// into ASCII ones and let a look-alike through.
	var b strings.Builder
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case c == ' ':
		case c >= 'a' && c <= 'z':
			b.WriteByte(c - 'a' + 'A')
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
			b.WriteByte(c)
		default:
			return "", fail(ErrInvalidPostcode, field, "may contain only letters, digits and a space")
		}
	}
	compact := b.String()
	if !postcodeRE.MatchString(compact) {
		return "", fail(ErrInvalidPostcode, field, "is not a UK postcode, such as SW1A 1AA")
	}
	return compact[:len(compact)-3] + " " + compact[len(compact)-3:], nil
}
