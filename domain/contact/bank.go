package contact

import "strings"

// ParseSortCode accepts a UK sort code written "12-34-56" or "123456" and returns the six
// digits, the form the payout bank file uses; FormatSortCode gives the printed form back.
func ParseSortCode(s string) (string, error) {
	const field = "sort_code"
	t := strings.TrimSpace(s)
	if t == "" {
		return "", fail(ErrInvalidSortCode, field, "is required")
	}
	if len(t) == 8 && t[2] == '-' && t[5] == '-' {
		t = t[0:2] + t[3:5] + t[6:8]
	}
	if len(t) != 6 || !allDigits(t) {
		return "", fail(ErrInvalidSortCode, field, "must be six digits, written 12-34-56 or 123456")
	}
	return t, nil
}

// FormatSortCode prints a six-digit sort code as 12-34-56; anything else is returned as is.
func FormatSortCode(sc string) string {
	if len(sc) != 6 || !allDigits(sc) {
		return sc
	}
	return sc[0:2] + "-" + sc[2:4] + "-" + sc[4:6]
}

// ParseAccountNumber accepts a UK bank account number of exactly eight digits. Banks with
// shorter or longer numbers publish an eight-digit form for BACS payments, which is the
// one the payout needs.
func ParseAccountNumber(s string) (string, error) {
	const field = "account_number"
	t := strings.TrimSpace(s)
	if t == "" {
		return "", fail(ErrInvalidAccountNumber, field, "is required")
	}
	if len(t) != 8 || !allDigits(t) {
		return "", fail(ErrInvalidAccountNumber, field, "must be exactly eight digits")
	}
	return t, nil
}
