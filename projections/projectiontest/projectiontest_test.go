package projectiontest_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"ledgerdesk/codec"
	"ledgerdesk/domain/appointment"
	"ledgerdesk/domain/money"
	"ledgerdesk/eventstore"
	"ledgerdesk/projections/appointments"
	"ledgerdesk/projections/projectiontest"
)

var at = time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)

func booked(id string) appointment.Booked {
	return appointment.Booked{AppointmentID: id, PatientID: "p1", ClinicianID: "c1", StartsAt: at, Fee: money.GBP("1.00"), BookedAt: at}
}

// Recorded events look as the store and the command layer would make them.
func TestRecordedEventsCarryStreamVersionsPositionsAndMetadata(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, appointments.New)
	first := s.GivenBy("clinician-1", appointment.StreamID("a1"), booked("a1"), appointment.Cancelled{AppointmentID: "a1", PatientID: "p1", Reason: "ill", CancelledAt: at})
	other := s.Given(appointment.StreamID("a2"), booked("a2"))
	again := s.Given(appointment.StreamID("a1"), appointment.Rescheduled{AppointmentID: "a1", From: at, To: at, RescheduledAt: at})

	if first[0].Version != 1 || first[1].Version != 2 || other[0].Version != 1 || again[0].Version != 3 {
		t.Fatalf("versions %d %d %d %d", first[0].Version, first[1].Version, other[0].Version, again[0].Version)
	}
	if first[0].Position.Commit != first[1].Position.Commit || first[0].Position.Compare(first[1].Position) >= 0 ||
		first[1].Position.Compare(other[0].Position) >= 0 || other[0].Position.Compare(again[0].Position) >= 0 {
		t.Fatalf("positions %v %v %v %v", first[0].Position, first[1].Position, other[0].Position, again[0].Position)
	}
	if first[0].ID == first[1].ID || first[0].Type != "appointment.booked.v1" || first[0].StreamID != "appointment-a1" {
		t.Fatalf("records %+v", first)
	}
	m, err := codec.ParseMetadata(first[0].Metadata)
	s.Must(err)
	m2, _ := codec.ParseMetadata(first[1].Metadata)
	m3, _ := codec.ParseMetadata(other[0].Metadata)
	if m.Actor != "clinician-1" || m.Schema != codec.MetadataSchema || m.CommandID != m2.CommandID || m.CommandID == m3.CommandID || m3.Actor != projectiontest.DefaultActor {
		t.Fatalf("metadata %+v, %+v, %+v", m, m2, m3)
	}
	if strings.Contains(string(first[1].Data), "ill") {
		t.Fatalf("personal data is not sealed: %s", first[1].Data)
	}
	if h := s.History(); len(h) != 4 || h[3].ID != again[0].ID {
		t.Fatalf("history %+v", h)
	}
}

// A failing event is rolled back and reported with what it was.
func TestAFailingEventIsReportedAndLeavesNothing(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, appointments.New)
	err := s.TryApply(eventstore.RecordedEvent{StreamID: "appointment-x", Version: 1, Type: "appointment.no_such.v1", Data: []byte(`{}`)})
	if !errors.Is(err, codec.ErrUnknownType) || !strings.Contains(err.Error(), "appointment-x@1") {
		t.Fatalf("err = %v", err)
	}
	if h := s.History(); len(h) != 0 {
		t.Fatalf("history %+v", h)
	}
}
