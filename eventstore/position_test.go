package eventstore

import "testing"

func TestPositionsOrderByCommitThenPrepare(t *testing.T) {
	a, b, c := Position{1, 9}, Position{2, 1}, Position{2, 2}
	if !a.Before(b) || !b.Before(c) || c.Before(a) || a.Compare(a) != 0 {
		t.Fatal("positions must order by commit, then prepare")
	}
	if !Start.Before(a) {
		t.Fatal("Start must sort before every event")
	}
}

func FuzzParsePosition(f *testing.F) {
	for _, s := range []string{"0/0", "123/456", "18446744073709551615/1", "/", "1/", "a/b", "1/2/3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePosition(s)
		if err != nil {
			return
		}
		back, err := ParsePosition(p.String())
		if err != nil || back != p {
			t.Fatalf("%q parsed to %v, which does not round-trip: %v", s, p, err)
		}
	})
}
