package appointment_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"ledgerdesk/domain/appointment"
)

func TestEveryEventTypeIsRegisteredOnceWithAVersion(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range appointment.EventTypes() {
		name := e.EventType()
		if !strings.HasPrefix(name, "appointment.") || !strings.HasSuffix(name, ".v1") || seen[name] {
			t.Errorf("event type %q is not a unique appointment.<name>.v1", name)
		}
		seen[name] = true
	}
	if len(seen) != 5 {
		t.Errorf("registry has %d event types, want 5", len(seen))
	}
}

func TestEventsSurviveAJSONRoundTrip(t *testing.T) {
	for _, e := range []appointment.Event{
		booked(), cancelled(), completed(feb5), formSubmitted(feb5),
		appointment.Rescheduled{AppointmentID: apptID, From: feb5, To: feb5.Add(time.Hour), RescheduledAt: bookedAt},
	} {
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		back := reflect.New(reflect.TypeOf(e))
		if err := json.Unmarshal(b, back.Interface()); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back.Elem().Interface(), e) {
			t.Errorf("%s: %s read back as %+v", e.EventType(), b, back.Elem().Interface())
		}
	}
}

// The cancellation reason is a person's words: it must be tagged for encryption and name the
// patient whose key encrypts it.
func TestPersonalDataInEventsIsTaggedAndHasADataSubject(t *testing.T) {
	for _, e := range appointment.EventTypes() {
		typ := reflect.TypeOf(e)
		hasPII := false
		for i := range typ.NumField() {
			if typ.Field(i).Tag.Get("pii") == "true" {
				hasPII = true
			}
		}
		_, hasSubject := e.(interface{ DataSubject() string })
		if hasPII != hasSubject {
			t.Errorf("%s: pii fields %v but DataSubject %v", e.EventType(), hasPII, hasSubject)
		}
	}
	f, _ := reflect.TypeOf(appointment.Cancelled{}).FieldByName("Reason")
	if f.Tag.Get("pii") != "true" {
		t.Error("Cancelled.Reason is not tagged pii")
	}
	if got := cancelled().DataSubject(); got != patient {
		t.Errorf("Cancelled.DataSubject() = %q, want the patient", got)
	}
}
