package v1csv

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/domain/v1item"
)

// maxAmountText bounds the text of an amount before any arithmetic is done on it.
const maxAmountText = 32

// parseAmount reads a V1 amount: optional £, thousands separators, surrounding spaces. The
// reason is phrased to follow the quoted value: "12.345" has more than 2 decimal places.
func parseAmount(raw string) (money.Amount, string) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return money.Zero, "is empty"
	}
	if len(s) > maxAmountText {
		return money.Zero, "is too long to be an amount of money"
	}
	negative := false
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		negative, s = true, strings.TrimSpace(rest)
	}
	if rest, ok := strings.CutPrefix(s, "£"); ok {
		s = strings.TrimSpace(rest)
	}
	if rest, ok := strings.CutPrefix(s, "-"); ok && !negative {
		negative, s = true, rest
	}
	whole, frac, hasPoint := strings.Cut(s, ".")
	if !allDigitsOrCommas(whole) || !allDigits(frac) || (hasPoint && frac == "") || (whole == "" && frac == "") {
		return money.Zero, "is not an amount of money (expected something like 1,234.50)"
	}
	if strings.Contains(whole, ",") {
		groups := strings.Split(whole, ",")
		ok := len(groups[0]) >= 1 && len(groups[0]) <= 3
		for _, g := range groups[1:] {
			ok = ok && len(g) == 3
		}
		if !ok {
			return money.Zero, "has misplaced thousands separators (expected something like 1,234.50)"
		}
		whole = strings.ReplaceAll(whole, ",", "")
	}
	if strings.TrimRight(frac, "0") != frac && len(frac) > 2 {
		frac = strings.TrimRight(frac, "0") // 12.500 is not extra precision
		for len(frac) < 2 {
			frac += "0"
		}
	}
	if len(frac) > 2 {
		return money.Zero, "has more than 2 decimal places"
	}
	if negative {
		return money.Zero, "is negative; a pending payment must be more than £0.00"
	}
	if whole == "" {
		whole = "0"
	}
	plain := whole
	if frac != "" {
		plain += "." + frac
	}
	a, err := money.Parse(plain)
	if err != nil {
		return money.Zero, "is not an amount of money (expected something like 1,234.50)"
	}
	if !a.IsPositive() {
		return money.Zero, "must be more than £0.00"
	}
	if a.Cmp(v1item.MaxAmount) > 0 {
		return money.Zero, fmt.Sprintf("is more than the £%s limit for one item; check the decimal point", v1item.MaxAmount)
	}
	return a, ""
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func allDigitsOrCommas(s string) bool { return allDigits(strings.ReplaceAll(s, ",", "")) }

// parseDate reads YYYY-MM-DD or DD/MM/YYYY (day and month may have one digit). Slashed
// dates are always day first, as a UK spreadsheet writes them.
func parseDate(raw string) (ledger.Date, string) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return ledger.Date{}, "is empty"
	}
	var y, m, d int
	var ok bool
	if parts := strings.Split(s, "-"); len(parts) == 3 && len(parts[0]) == 4 && len(parts[1]) == 2 && len(parts[2]) == 2 {
		y, m, d, ok = atoi(parts[0]), atoi(parts[1]), atoi(parts[2]), true
	} else if parts := strings.Split(s, "/"); len(parts) == 3 && len(parts[2]) == 4 &&
		len(parts[0]) >= 1 && len(parts[0]) <= 2 && len(parts[1]) >= 1 && len(parts[1]) <= 2 {
		d, m, y, ok = atoi(parts[0]), atoi(parts[1]), atoi(parts[2]), true
	}
	if !ok || y < 0 || m < 0 || d < 0 {
		return ledger.Date{}, "is not a date (expected YYYY-MM-DD or DD/MM/YYYY)"
	}
	switch {
	case m < 1 || m > 12:
		return ledger.Date{}, fmt.Sprintf("is not a real date: there is no month %d", m)
	case d < 1 || ledger.DateOf(time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)) != (ledger.Date{Year: y, Month: time.Month(m), Day: d}):
		return ledger.Date{}, fmt.Sprintf("is not a real date: %s %d has no day %d", time.Month(m), y, d)
	}
	date := ledger.Date{Year: y, Month: time.Month(m), Day: d}
	if reason := v1item.CheckDate(date); reason != "" {
		return ledger.Date{}, "is not a plausible work date: " + reason
	}
	return date, ""
}

// atoi reads a short string of ASCII digits, or returns -1.
func atoi(s string) int {
	if !allDigits(s) || s == "" {
		return -1
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}
