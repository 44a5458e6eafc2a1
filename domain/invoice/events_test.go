package invoice_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"ledgerdesk/domain/invoice"
)

func TestEveryEventTypeIsRegisteredOnceWithAVersion(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range invoice.EventTypes() {
		name := e.EventType()
		if !strings.HasPrefix(name, "invoice.") || !strings.HasSuffix(name, ".v1") || seen[name] {
			t.Errorf("event type %q is not a unique invoice.<name>.v1", name)
		}
		seen[name] = true
	}
	if len(seen) != 6 {
		t.Errorf("registry has %d event types, want 6", len(seen))
	}
}

func TestEventsSurviveAJSONRoundTrip(t *testing.T) {
	for _, e := range []invoice.Event{
		raised(), item("item-1", drA, "100.00"), issued("150.00"), paid("p", "1.00", "1.00", "149.00", 3),
		invoice.Voided{InvoiceID: invID, PatientID: patient, Reason: "r", VoidedAt: t0},
		invoice.PaidInFull{InvoiceID: invID, PatientID: patient, Total: gbp("150.00"), PaidAt: t0,
			Items: []invoice.PaidItem{{ItemID: "item-1", ClinicianID: drA, Amount: gbp("150.00")}}},
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

// A billable item's description and a void reason are a person's words: they must be tagged
// for encryption and name the patient whose key encrypts them.
func TestPersonalDataInEventsIsTaggedAndHasADataSubject(t *testing.T) {
	for _, e := range invoice.EventTypes() {
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
	for _, e := range []interface{ DataSubject() string }{item("item-1", drA, "1.00"), invoice.Voided{PatientID: patient}} {
		if e.DataSubject() != patient {
			t.Errorf("%T.DataSubject() = %q, want the patient", e, e.DataSubject())
		}
	}
	f, _ := reflect.TypeOf(invoice.BillableItemAdded{}).FieldByName("Description")
	if f.Tag.Get("pii") != "true" {
		t.Error("BillableItemAdded.Description is not tagged pii")
	}
}
