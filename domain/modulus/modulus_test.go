package modulus_test

import (
	"errors"
	"strings"
	"testing"

	"ledgerdesk/domain/modulus"
)

// The rows below are fixtures written for these tests, not rows of Vocalink's valacdos.txt:
// each names its weights, and the expected sums are worked out by hand beside it. The
// account numbers are the first three of the standard test cases the specification lists,
// which pass these fixture weights as the sums show.
const fixture = `
089990 089999 MOD10 0 0 0 0 0 0 7 1 3 7 1 3 7 1
107990 107999 MOD11 0 0 0 0 0 0 8 7 6 5 4 3 2 1
202950 202959 DBLAL 2 1 2 1 2 1 2 1 2 1 2 1 2 1
300000 300009 MOD11 0 0 0 0 0 0 8 7 6 5 4 3 2 1 4
`

func table(t *testing.T) *modulus.Table {
	t.Helper()
	tab, err := modulus.ParseTable(fixture)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func TestTheWeightedSumDecidesPassOrFail(t *testing.T) {
	t.Parallel()
	tab := table(t)
	for _, c := range []struct {
		name, sortCode, account string
		want                    modulus.Outcome
	}{
		// 6·7+6·1+3·3+7·7+4·1+9·3+5·7+8·1 = 180, a multiple of 10.
		{"modulus 10 passes", "089999", "66374958", modulus.Passed},
		// The last digit one higher: 181.
		{"modulus 10 fails", "089999", "66374959", modulus.Failed},
		// 8·8+8·7+8·6+3·5+7·4+4·3+9·2+1·1 = 242 = 22·11.
		{"modulus 11 passes", "107999", "88837491", modulus.Passed},
		{"modulus 11 fails", "107999", "88837492", modulus.Failed},
		// Products 4 0 4 9 10 9 12 3 14 4 16 4 14 2, their digits summed: 60.
		{"double alternate passes", "202959", "63748472", modulus.Passed},
		// The last digit 3: the last product 3, the sum 61.
		{"double alternate fails", "202959", "63748473", modulus.Failed},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := modulus.Check(tab, c.sortCode, c.account)
			if got.Outcome != c.want || got.Reason == "" {
				t.Fatalf("Check(%s, %s) = %+v, want %s", c.sortCode, c.account, got, c.want)
			}
		})
	}
}

func TestTheSecondCheckCountsToo(t *testing.T) {
	t.Parallel()
	// A second row of zero weights sums to 0 and passes; one weighing only the last digit
	// sums to 2 and fails, and with it the pair.
	both := mustParse(t, "202950 202959 DBLAL 2 1 2 1 2 1 2 1 2 1 2 1 2 1\n202950 202959 MOD10 0 0 0 0 0 0 0 0 0 0 0 0 0 0")
	if got := modulus.Check(both, "202959", "63748472"); got.Outcome != modulus.Passed {
		t.Fatalf("both pass: %+v", got)
	}
	pair := mustParse(t, "202950 202959 DBLAL 2 1 2 1 2 1 2 1 2 1 2 1 2 1\n202950 202959 MOD10 0 0 0 0 0 0 0 0 0 0 0 0 0 1")
	got := modulus.Check(pair, "202959", "63748472")
	if got.Outcome != modulus.Failed || !strings.Contains(got.Reason, "second MOD10") {
		t.Fatalf("pair: %+v", got)
	}
}

func TestWhatCannotBeCheckedIsSaidSoNotFailed(t *testing.T) {
	t.Parallel()
	tab := table(t)
	for name, c := range map[string]struct {
		tab               *modulus.Table
		sortCode, account string
		reason            string
	}{
		"no table":               {nil, "089999", "66374958", "valacdos"},
		"an empty table":         {&modulus.Table{}, "089999", "66374958", "valacdos"},
		"a sort code not listed": {tab, "400000", "12345678", "does not cover"},
		"an exception code":      {tab, "300005", "12345678", "exception 4"},
		"a malformed sort code":  {tab, "08999", "66374958", "six digits"},
		"a malformed account":    {tab, "089999", "6637495x", "six digits"},
		"more than two checks":   {mustParse(t, strings.Repeat("100000 100009 MOD10 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n", 3)), "100001", "12345678", "more than two"},
	} {
		got := modulus.Check(c.tab, c.sortCode, c.account)
		if got.Outcome != modulus.NotChecked || !strings.Contains(got.Reason, c.reason) || !strings.HasPrefix(got.Reason, "could not be checked") {
			t.Errorf("%s: %+v", name, got)
		}
	}
}

func mustParse(t *testing.T, s string) *modulus.Table {
	t.Helper()
	tab, err := modulus.ParseTable(s)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func TestAMalformedTableNamesTheLineAndField(t *testing.T) {
	t.Parallel()
	good := "089990 089999 MOD10 0 0 0 0 0 0 7 1 3 7 1 3 7 1"
	for _, c := range []struct{ in, want string }{
		{"", "no rows"},
		{good + "\n089990 089999 MOD10 0 0 0", "line 2: field line: has 6 fields"},
		{"08999 089999 MOD10 0 0 0 0 0 0 7 1 3 7 1 3 7 1", "line 1: field start sort code"},
		{"089999 089990 MOD10 0 0 0 0 0 0 7 1 3 7 1 3 7 1", "field end sort code: comes before"},
		{"089990 089999 MOD12 0 0 0 0 0 0 7 1 3 7 1 3 7 1", "field method"},
		{"089990 089999 MOD10 0 0 0 0 0 0 7 1 3 7 1 3 7 x", "field weight 14"},
		{"089990 089999 MOD10 0 0 0 0 0 0 7 1 3 7 1 3 7 100", "field weight 14"},
		{good + " 0", "field exception code"},
		{strings.Repeat("1", modulus.MaxLineLength+1), "longer than"},
		{strings.Repeat("1", 10*modulus.MaxLineLength), "longer than"},
	} {
		_, err := modulus.ParseTable(c.in)
		if !errors.Is(err, modulus.ErrInvalidTable) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseTable(%.40q) = %v, want %q", c.in, err, c.want)
		}
	}
}

func FuzzParseTable(f *testing.F) {
	f.Add(fixture)
	f.Add("089990 089999 MOD10 0 0 0 0 0 0 7 1 3 7 1 3 7 1 -1")
	f.Add("000000 999999 DBLAL -9 -9 -9 -9 -9 -9 -9 -9 -9 -9 -9 -9 -9 -9 99")
	f.Add("\n\n  \n")
	f.Fuzz(func(t *testing.T, in string) {
		tab, err := modulus.ParseTable(in)
		if err != nil {
			if !errors.Is(err, modulus.ErrInvalidTable) {
				t.Fatalf("error %v is not ErrInvalidTable", err)
			}
			return
		}
		for _, r := range tab.Rows {
			if len(r.Start) != 6 || len(r.End) != 6 || r.Start > r.End {
				t.Fatalf("accepted row %+v", r)
			}
			// Every accepted table checks any account without panicking, with a reason.
			if res := modulus.Check(tab, r.Start, "12345678"); res.Reason == "" {
				t.Fatalf("no reason for %+v", res)
			}
		}
	})
}
