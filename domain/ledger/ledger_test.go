package ledger

import (
	"encoding/json"
	"testing"
	"time"
)

func TestWorkBeforeGoLiveInLondonBelongsToV1(t *testing.T) {
	goLive := Date{2025, time.February, 3}
	for _, tc := range []struct {
		name string
		at   time.Time
		want Ledger
	}{
		{"the day before", time.Date(2025, 2, 2, 12, 0, 0, 0, time.UTC), V1},
		{"the last minute before, London time", time.Date(2025, 2, 2, 23, 59, 0, 0, time.UTC), V1},
		{"midnight of go-live", time.Date(2025, 2, 3, 0, 0, 0, 0, time.UTC), V2},
		{"after", time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC), V2},
	} {
		if got := ForInstant(tc.at, goLive); got != tc.want {
			t.Errorf("%s: ForInstant(%v) = %s, want %s", tc.name, tc.at, got, tc.want)
		}
	}
	// In British Summer Time 23:30 UTC is already the next day in London.
	summerGoLive := Date{2025, time.July, 3}
	if got := ForInstant(time.Date(2025, 7, 2, 23, 30, 0, 0, time.UTC), summerGoLive); got != V2 {
		t.Errorf("23:30 UTC on the eve of a summer go-live is go-live day in London: got %s", got)
	}
}

func TestParseDateRejectsNonsense(t *testing.T) {
	for _, s := range []string{"", "2025-02-30", "03/02/2025", "2025-2-3"} {
		if _, err := ParseDate(s); err == nil {
			t.Errorf("ParseDate(%q) accepted", s)
		}
	}
	d, err := ParseDate("2025-02-03")
	if err != nil || d.String() != "2025-02-03" {
		t.Fatalf("ParseDate = %v, %v", d, err)
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2025-02-03", "2024-02-29", "2025-02-29", "", "2025-13-01", "99999-01-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		if d.String() != s {
			t.Fatalf("%q parsed to %s", s, d)
		}
	})
}

func TestAnUnsetDateSurvivesAJSONRoundTrip(t *testing.T) {
	type holder struct{ D Date }
	b, err := json.Marshal(holder{})
	if err != nil {
		t.Fatal(err)
	}
	var back holder
	if err := json.Unmarshal(b, &back); err != nil || !back.D.IsZero() {
		t.Fatalf("unset date wrote %s and read back %v, %v", b, back.D, err)
	}
	b, _ = json.Marshal(holder{D: Date{2025, time.February, 3}})
	if err := json.Unmarshal(b, &back); err != nil || back.D != (Date{2025, time.February, 3}) {
		t.Fatalf("date wrote %s and read back %v, %v", b, back.D, err)
	}
}
