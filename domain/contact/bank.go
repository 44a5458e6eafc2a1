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

// BankDetails is a UK bank account to pay: the name on the account, the six-digit sort
// code and the eight-digit account number, in the normal forms ParseBankDetails returns.
type BankDetails struct {
	AccountName   string
	SortCode      string
	AccountNumber string
}

// ParseBankDetails checks and normalises all three fields; a rejection names the first
// field that is wrong (account_name, sort_code or account_number).
func ParseBankDetails(b BankDetails) (BankDetails, error) {
	name, err := ParseName(b.AccountName)
	if err != nil {
		return BankDetails{}, InField("account_name", err)
	}
	sortCode, err := ParseSortCode(b.SortCode)
	if err != nil {
		return BankDetails{}, err
	}
	number, err := ParseAccountNumber(b.AccountNumber)
	if err != nil {
		return BankDetails{}, err
	}
	return BankDetails{AccountName: name, SortCode: sortCode, AccountNumber: number}, nil
}

// MaskedAccountNumber shows only the last four digits ("****5678"), for screens and lists
// that say which account without repeating it.
func MaskedAccountNumber(n string) string {
	if len(n) <= 4 {
		return n
	}
	return strings.Repeat("*", len(n)-4) + n[len(n)-4:]
}
