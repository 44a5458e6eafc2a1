// Package modulus runs the UK sort code and account number modulus check (Vocalink's, now
// Pay.UK's, "Validating account numbers" specification): a weighted sum of the sort code's
// and account number's fourteen digits, modulus 10, 11 or "double alternate", with the
// weights looked up by sort code range in a table the banks publish (valacdos.txt).
//
// The algorithms are code; the table is data that Vocalink publishes and revises several
// times a year. ledgerdesk ships no copy of it: it is not available to this build, and a
// table made up or remembered would pass and fail real accounts at random. Without a table
// (or for a sort code it does not list, or a row whose exception rules are not implemented
// here) the answer is NotChecked, with the reason: a state the person is told about, not an
// error. Only a Failed result is a reason to refuse bank details.
//
// The pure package has no I/O: a deployment that holds a current valacdos.txt names it in
// LEDGERDESK_MODULUS_WEIGHTS; the binary parses it with ParseTable and passes the Table in.
// Exception rows (the specification's exceptions 1 to 14, sort code substitution) are not
// implemented: a sort code that needs one is NotChecked, never guessed.
package modulus

import (
	"fmt"
	"strings"
)

// Method is one of the three checking algorithms.
type Method string

const (
	Mod10 Method = "MOD10"
	Mod11 Method = "MOD11"
	// DoubleAlternate sums the digits of each product (12 counts as 1+2), modulus 10.
	DoubleAlternate Method = "DBLAL"
)

// Digits is how many digits a check weighs: six of the sort code, eight of the account.
const Digits = 14

// Row is one line of the weight table: the sort codes from Start to End inclusive (six
// digits each) are checked by Method with Weights, one per digit u v w x y z a b c d e f g h.
// Exception is the specification's exception code, zero for none.
type Row struct {
	Start, End string
	Method     Method
	Weights    [Digits]int
	Exception  int
}

// Table is a parsed weight table, rows in the order of the file (the specification says
// which row is the first check and which the second by that order).
type Table struct {
	Rows []Row
}

// Outcome is what a check found.
type Outcome string

const (
	Passed Outcome = "passed"
	Failed Outcome = "failed"
	// NotChecked says no check could be made; the details may well be right.
	NotChecked Outcome = "not_checked"
)

// Result is an outcome with the reason in words.
type Result struct {
	Outcome Outcome `json:"outcome"`
	Reason  string  `json:"reason"`
}

// NoTable is the result when the deployment has no weight table.
var NoTable = Result{Outcome: NotChecked,
	Reason: "could not be checked: this deployment has no copy of the Vocalink modulus weight table (valacdos.txt)"}

// Check checks sortCode and accountNumber (six and eight digits, as contact.ParseSortCode
// and contact.ParseAccountNumber return them) against t. A nil or empty table gives NoTable.
func Check(t *Table, sortCode, accountNumber string) Result {
	if t == nil || len(t.Rows) == 0 {
		return NoTable
	}
	number := sortCode + accountNumber
	if len(sortCode) != 6 || len(accountNumber) != 8 || !digitsOnly(number) {
		return Result{Outcome: NotChecked, Reason: "could not be checked: a sort code of six digits and an account number of eight are needed"}
	}
	rows := t.rowsFor(sortCode)
	switch {
	case len(rows) == 0:
		return Result{Outcome: NotChecked, Reason: "could not be checked: the modulus weight table does not cover this sort code"}
	case len(rows) > 2:
		return Result{Outcome: NotChecked, Reason: "could not be checked: the modulus weight table lists more than two checks for this sort code"}
	}
	for _, r := range rows {
		if r.Exception != 0 {
			return Result{Outcome: NotChecked, Reason: fmt.Sprintf(
				"could not be checked: this sort code needs the specification's exception %d, which is not implemented", r.Exception)}
		}
	}
	// Without exception codes, every listed check must pass.
	for i, r := range rows {
		if !r.passes(number) {
			return Result{Outcome: Failed, Reason: fmt.Sprintf(
				"the sort code and account number do not belong together: the %s %s check fails", ordinal(i, len(rows)), r.Method)}
		}
	}
	return Result{Outcome: Passed, Reason: "the sort code and account number pass the UK modulus check"}
}

func (t *Table) rowsFor(sortCode string) []Row {
	var out []Row
	for _, r := range t.Rows {
		// Six-digit strings compare as their numbers do.
		if r.Start <= sortCode && sortCode <= r.End {
			out = append(out, r)
		}
	}
	return out
}

// passes runs the row's algorithm on the fourteen digits.
func (r Row) passes(number string) bool {
	total := 0
	for i := range Digits {
		p := int(number[i]-'0') * r.Weights[i]
		if r.Method == DoubleAlternate {
			p = digitSum(p)
		}
		total += p
	}
	switch r.Method {
	case Mod11:
		return total%11 == 0
	default: // MOD10 and DBLAL
		return total%10 == 0
	}
}

// digitSum adds the decimal digits of p (the double-alternate rule); a negative weight's
// product counts negatively.
func digitSum(p int) int {
	sign := 1
	if p < 0 {
		sign, p = -1, -p
	}
	s := 0
	for ; p > 0; p /= 10 {
		s += p % 10
	}
	return sign * s
}

func ordinal(i, n int) string {
	if n == 1 {
		return "only"
	}
	return []string{"first", "second"}[i]
}

func digitsOnly(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}
