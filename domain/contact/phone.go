package contact

import "strings"

// maxPhoneInput bounds what a person may type, separators included.
const maxPhoneInput = 32

// ParsePhone accepts a UK number written nationally ("07700 900123", "(020) 7946 0000") or
// internationally ("+44 7700 900123", "+44 (0)20 7946 0000"), with spaces, hyphens and
// brackets, and returns it in E.164 ("+447700900123"), the one form that compares equal
// however it was typed and that SMS providers accept.
//
// Only UK numbers are accepted: the practice is UK-only and a foreign number is far more
// often a typo than a patient abroad. The national significant number must have 9 or 10
// digits and start with 1, 2, 3, 5, 7, 8 or 9 (04 and 06 are not allocated); mobile (07),
// geographic London-style (02) and 03 numbers have exactly 10.
func ParsePhone(s string) (string, error) {
	const field = "phone"
	t := strings.TrimSpace(s)
	if t == "" {
		return "", fail(ErrInvalidPhone, field, "is required")
	}
	if len(t) > maxPhoneInput {
		return "", fail(ErrInvalidPhone, field, "is too long")
	}
	trunkZeroInBrackets := strings.Contains(t, "(0)")
	var b strings.Builder
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case c >= '0' && c <= '9':
			b.WriteByte(c)
		case c == '+' && i == 0:
			b.WriteByte(c)
		case c == ' ' || c == '-' || c == '(' || c == ')':
		default:
			return "", fail(ErrInvalidPhone, field, "may contain only digits, a leading +, spaces, hyphens and brackets")
		}
	}
	digits := b.String()
	var nsn string
	switch {
	case strings.HasPrefix(digits, "+44"):
		nsn = digits[3:]
		if strings.HasPrefix(nsn, "0") {
			if !trunkZeroInBrackets {
				return "", fail(ErrInvalidPhone, field, "after +44 leave out the leading 0, as in +44 7700 900123")
			}
			nsn = nsn[1:]
		}
	case strings.HasPrefix(digits, "+"):
		return "", fail(ErrInvalidPhone, field, "must be a UK number, starting +44 or 0")
	case strings.HasPrefix(digits, "0"):
		nsn = digits[1:]
	default:
		return "", fail(ErrInvalidPhone, field, "must start with 0 or +44, as in 07700 900123")
	}
	if reason := checkNSN(nsn); reason != "" {
		return "", fail(ErrInvalidPhone, field, reason)
	}
	return "+44" + nsn, nil
}

func checkNSN(nsn string) string {
	if len(nsn) < 9 || len(nsn) > 10 || !allDigits(nsn) {
		return "must have 10 or 11 digits including the leading 0"
	}
	switch nsn[0] {
	case '2', '3', '7':
		if len(nsn) != 10 {
			return "must have 11 digits including the leading 0"
		}
	case '1', '5', '8', '9':
	default:
		return "is not a UK number: UK numbers start 01, 02, 03, 05, 07, 08 or 09"
	}
	return ""
}
