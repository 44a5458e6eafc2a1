package payout_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"ledgerdesk/domain/payout"
)

func TestEveryEventTypeIsRegisteredOnceWithAVersion(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range payout.EventTypes() {
		name := e.EventType()
		if !strings.HasPrefix(name, "payout.") || !strings.HasSuffix(name, ".v1") || seen[name] {
			t.Errorf("event type %q is not a unique payout.<name>.v1", name)
		}
		seen[name] = true
	}
	if len(seen) != 8 {
		t.Errorf("registry has %d event types, want 8", len(seen))
	}
}

func TestEventsSurviveAJSONRoundTrip(t *testing.T) {
	for _, e := range []payout.Event{
		started(), lineA, finalised(), exported(), submitted(),
		payout.LineFailed{PayoutID: runID, ClinicianID: drB, EarningIDs: []string{"e3"}, Amount: gbp("40.00"), Reason: "AC04", FailedAt: at(5)},
		payout.Settled{PayoutID: runID, Total: gbp("370.50"), SettledAt: at(6), Lines: []payout.SettledLine{{ClinicianID: drA, EarningIDs: []string{"e1"}, Amount: gbp("370.50")}}},
		payout.Abandoned{PayoutID: runID, ClinicianIDs: []string{drA}, Reason: "r", AbandonedAt: at(3)},
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

// The payee's name and bank account identify a person: they are tagged for encryption with
// the clinician's key, and no other event carries personal data.
func TestBankDetailsAreTaggedPersonalDataOfTheClinician(t *testing.T) {
	for _, e := range payout.EventTypes() {
		typ := reflect.TypeOf(e)
		var pii []string
		for i := range typ.NumField() {
			if typ.Field(i).Tag.Get("pii") == "true" {
				pii = append(pii, typ.Field(i).Name)
			}
		}
		_, hasSubject := e.(interface{ DataSubject() string })
		if (len(pii) > 0) != hasSubject {
			t.Errorf("%s: pii fields %v but DataSubject %v", e.EventType(), pii, hasSubject)
		}
		if _, ok := e.(payout.LineAdded); ok && strings.Join(pii, ",") != "PayeeName,SortCode,AccountNumber" {
			t.Errorf("LineAdded pii fields = %v", pii)
		}
	}
	if lineA.DataSubject() != drA {
		t.Errorf("LineAdded.DataSubject() = %q, want the clinician", lineA.DataSubject())
	}
}
