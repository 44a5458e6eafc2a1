package modulus

import (
	"bufio"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Limits on a weight table: Vocalink's has about a thousand rows of some sixty characters.
const (
	MaxRows       = 10000
	MaxLineLength = 200
	// MaxWeight bounds a weight's size; the published weights are small.
	MaxWeight = 99
)

// ErrInvalidTable says a weight table file is malformed; the error names the line and field.
var ErrInvalidTable = errors.New("invalid modulus weight table")

// ParseTable reads a weight table in the valacdos.txt layout: one row a line, fields
// separated by spaces — start and end sort code, method (MOD10, MOD11 or DBLAL), fourteen
// weights, and an optional exception code. Blank lines are skipped.
func ParseTable(text string) (*Table, error) {
	t := &Table{}
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 0, MaxLineLength+1), MaxLineLength+1)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if len(line) > MaxLineLength {
			return nil, lineErr(n, "line", "is longer than %d characters", MaxLineLength)
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		if len(t.Rows) == MaxRows {
			return nil, lineErr(n, "line", "the table has more than %d rows", MaxRows)
		}
		r, err := parseRow(n, strings.Fields(line))
		if err != nil {
			return nil, err
		}
		t.Rows = append(t.Rows, r)
	}
	if err := sc.Err(); err != nil {
		return nil, lineErr(n+1, "line", "is longer than %d characters", MaxLineLength)
	}
	if len(t.Rows) == 0 {
		return nil, fmt.Errorf("%w: the table has no rows", ErrInvalidTable)
	}
	return t, nil
}

func parseRow(n int, f []string) (Row, error) {
	if len(f) != 3+Digits && len(f) != 4+Digits {
		return Row{}, lineErr(n, "line", "has %d fields; a row has %d, or %d with an exception code", len(f), 3+Digits, 4+Digits)
	}
	var r Row
	for i, name := range []string{"start sort code", "end sort code"} {
		if len(f[i]) != 6 || !digitsOnly(f[i]) {
			return Row{}, lineErr(n, name, "must be six digits")
		}
	}
	r.Start, r.End = f[0], f[1]
	if r.Start > r.End {
		return Row{}, lineErr(n, "end sort code", "comes before the start sort code")
	}
	switch m := Method(f[2]); m {
	case Mod10, Mod11, DoubleAlternate:
		r.Method = m
	default:
		return Row{}, lineErr(n, "method", "must be MOD10, MOD11 or DBLAL")
	}
	for i := range Digits {
		w, err := smallInt(f[3+i], -MaxWeight, MaxWeight)
		if err != nil {
			return Row{}, lineErr(n, fmt.Sprintf("weight %d", i+1), "must be a whole number from %d to %d", -MaxWeight, MaxWeight)
		}
		r.Weights[i] = w
	}
	if len(f) == 4+Digits {
		e, err := smallInt(f[3+Digits], 1, 99)
		if err != nil {
			return Row{}, lineErr(n, "exception code", "must be a whole number from 1 to 99")
		}
		r.Exception = e
	}
	return r, nil
}

// smallInt accepts only plain decimal integers (an optional minus, then at most two digits).
func smallInt(s string, lo, hi int) (int, error) {
	d := strings.TrimPrefix(s, "-")
	if len(d) == 0 || len(d) > 2 || !digitsOnly(d) {
		return 0, strconv.ErrSyntax
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < lo || v > hi {
		return 0, strconv.ErrRange
	}
	return v, nil
}

func lineErr(n int, field, format string, args ...any) error {
	return fmt.Errorf("%w: line %d: field %s: %s", ErrInvalidTable, n, field, fmt.Sprintf(format, args...))
}
