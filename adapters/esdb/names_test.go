package esdb

import (
	"errors"
	"testing"

	"ledgerdesk/eventstore"
)

func TestReadsRefuseStreamsThatAreNotTheDomains(t *testing.T) {
	cases := []struct {
		stream string
		ok     bool
	}{
		{"appointment-0192b8c4-7d1e-7cc3-9e8a-1f2b3c4d5e6f", true},
		{"payout-2025-02", true},
		{"ledgerdesk-x", true},
		{"", false},
		{"$all", false},
		{"$ce-appointment", false},
		{"$$appointment-1", false},
		{guardStreamPrefix + id(1).String(), false},
	}
	for _, c := range cases {
		err := validateReadStream(c.stream)
		if (err == nil) != c.ok {
			t.Errorf("validateReadStream(%q) = %v, want ok=%v", c.stream, err, c.ok)
		}
		if err != nil && !errors.Is(err, ErrInvalidStream) {
			t.Errorf("validateReadStream(%q) = %v, want ErrInvalidStream", c.stream, err)
		}
	}
}

func TestAppendsAreValidatedBeforeReachingTheServer(t *testing.T) {
	good := eventData(1, "ticket.opened.v1", `{"subject":"2FA reset"}`)
	cases := []struct {
		name   string
		stream string
		events []eventstore.EventData
	}{
		{"empty stream name", "", []eventstore.EventData{good}},
		{"system stream", "$all", []eventstore.EventData{good}},
		{"guard stream", guardStreamPrefix + id(9).String(), []eventstore.EventData{good}},
		{"no events", "ticket-1", nil},
		{"event without id", "ticket-1", []eventstore.EventData{{Type: "ticket.opened.v1"}}},
		{"event without type", "ticket-1", []eventstore.EventData{eventData(1, "", `{}`)}},
		{"repeated id", "ticket-1", []eventstore.EventData{good, good}},
		{"data not JSON", "ticket-1", []eventstore.EventData{eventData(1, "ticket.opened.v1", `{subject}`)}},
		{"system event type", "ticket-1", []eventstore.EventData{eventData(1, "$>", `"0@ticket-2"`)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := validateAppend(c.stream, c.events); !errors.Is(err, eventstore.ErrInvalidAppend) {
				t.Errorf("validateAppend = %v, want ErrInvalidAppend", err)
			}
		})
	}
	if err := validateAppend("ticket-1", []eventstore.EventData{good, eventData(2, "ticket.replied.v1", ``)}); err != nil {
		t.Errorf("a valid append was refused: %v", err)
	}
}

func TestGuardStreamNamesTheEventID(t *testing.T) {
	s := guardStream(id(1))
	if s != "ledgerdesk_eventid-00000000-0000-0000-0000-000000000001" || !isGuardStream(s) {
		t.Errorf("guardStream = %q", s)
	}
	if eventstore.Category(s) != "ledgerdesk_eventid" {
		t.Errorf("category of %q = %q", s, eventstore.Category(s))
	}
}

func TestGuardRecordsNameTheirStream(t *testing.T) {
	if got, err := decodeGuard([]byte(`{"stream":"invoice-1"}`)); err != nil || got != "invoice-1" {
		t.Errorf("decodeGuard = %q, %v", got, err)
	}
	for _, bad := range []string{``, `{}`, `{"stream":""}`, `[`} {
		if _, err := decodeGuard([]byte(bad)); err == nil {
			t.Errorf("decodeGuard(%q) accepted", bad)
		}
	}
}
