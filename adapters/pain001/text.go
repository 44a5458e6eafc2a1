package pain001

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// checkText enforces what the schema's MaxNText types and XML 1.0 allow, and a little more:
// no control characters (encoding/xml would silently replace some of them) and no spaces at
// either end (a bank may trim them, and then the id no longer matches ours).
func checkText(where, field, s string, max int, required bool) error {
	if s == "" {
		if required {
			return fmt.Errorf("%w: %s%s is empty", ErrMissingField, where, field)
		}
		return nil
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("%w: %s%s is not valid UTF-8 text", ErrInvalidText, where, field)
	}
	if strings.TrimSpace(s) == "" {
		return fmt.Errorf("%w: %s%s is blank", ErrMissingField, where, field)
	}
	if strings.TrimSpace(s) != s {
		return fmt.Errorf("%w: %s%s starts or ends with a space", ErrInvalidText, where, field)
	}
	n := 0
	for _, r := range s {
		n++
		if unicode.IsControl(r) || r == 0xFFFE || r == 0xFFFF {
			return fmt.Errorf("%w: %s%s contains the control character %U at character %d", ErrInvalidText, where, field, r, n)
		}
	}
	if n > max {
		return fmt.Errorf("%w: %s%s is %d characters long; the bank file allows at most %d", ErrTextTooLong, where, field, n, max)
	}
	return nil
}

// checkDigits reports whether s is exactly n ASCII digits.
func checkDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
