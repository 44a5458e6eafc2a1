package check_test

import (
	"errors"
	"testing"
	"time"

	"ledgerdesk/domain/check"
)

func TestOneIDRuleRefusesPunctuationThatBreaksOutOfPathsAndFiles(t *testing.T) {
	for _, id := range []string{`a"b`, "a'b", "a%b", "a;b", `a\b`, "a/b", "a<b", "a>b", "a`b", "a\x00b"} {
		if err := check.ID(nil, "invoice id", id, check.MaxIDLength); !errors.Is(err, check.ErrInvalidInput) {
			t.Errorf("id %q: %v, want refused", id, err)
		}
	}
	for _, id := range []string{"inv-2026-001", "01a23b31-39b7-75ca-9dde-7663826f2b33", "policy:release", "pi_3Nx.9@psp", "V1-12_a"} {
		if err := check.ID(nil, "invoice id", id, check.MaxIDLength); err != nil {
			t.Errorf("id %q: %v, want accepted", id, err)
		}
	}
}

func TestTimesOutsideTheYearsAreRefused(t *testing.T) {
	for _, tm := range []time.Time{time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1999, 12, 31, 23, 0, 0, 0, time.UTC), time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)} {
		if err := check.Time(nil, "starts at", tm); !errors.Is(err, check.ErrInvalidInput) {
			t.Errorf("%v: %v, want refused", tm, err)
		}
	}
	if err := check.Time(nil, "starts at", time.Date(2999, 12, 31, 23, 0, 0, 0, time.UTC)); err != nil {
		t.Errorf("2999: %v", err)
	}
}

func TestTextRefusesNULButKeepsLineBreaks(t *testing.T) {
	if err := check.Text(nil, "reason", "a\x00b", 100); !errors.Is(err, check.ErrInvalidInput) {
		t.Errorf("NUL: %v", err)
	}
	if err := check.Text(nil, "reason", "line one\nline two\tand a tab", 100); err != nil {
		t.Errorf("line breaks: %v", err)
	}
	if err := check.Stream(nil, "invoice-a\x00b"); err == nil || !errors.Is(err, check.ErrInvalidInput) {
		t.Errorf("stream with NUL: %v", err)
	}
}
