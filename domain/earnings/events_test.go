package earnings_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"ledgerdesk/domain/earnings"
)

func TestEveryEventTypeIsRegisteredOnceWithAVersion(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range earnings.EventTypes() {
		name := e.EventType()
		if !strings.HasPrefix(name, "earnings.") || !strings.HasSuffix(name, ".v1") || seen[name] {
			t.Errorf("event type %q is not a unique earnings.<name>.v1", name)
		}
		seen[name] = true
	}
	if len(seen) != 6 {
		t.Errorf("registry has %d event types, want 6", len(seen))
	}
}

// An auditor replays the history from the store: the events read back from JSON must fold
// to exactly the state the live events did.
func TestReplayingTheHistoryFromJSONGivesTheSameState(t *testing.T) {
	history := append(twoReleased(), v1,
		earnings.V1WorkArrived{EarningID: v1.EarningID, ClinicianID: dr, Source: v1.Source, Amount: v1.Amount, WorkDate: feb2, Reason: earnings.ReleaseFormSubmitted, ArrivedAt: at(2)},
		included("p1", "370.50", 2, a1.EarningID, a2.EarningID),
		returned("p1", "370.50", 3, a1.EarningID, a2.EarningID),
		included("p2", "250.00", 4, a1.EarningID),
		paidOut("p2", "250.00", 5, a1.EarningID),
	)
	registry := map[string]reflect.Type{}
	for _, e := range earnings.EventTypes() {
		registry[e.EventType()] = reflect.TypeOf(e)
	}
	var back []earnings.Event
	for _, e := range history {
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		v := reflect.New(registry[e.EventType()])
		if err := json.Unmarshal(b, v.Interface()); err != nil {
			t.Fatal(err)
		}
		got := v.Elem().Interface().(earnings.Event)
		if !reflect.DeepEqual(got, e) {
			t.Errorf("%s: %s read back as %+v", e.EventType(), b, got)
		}
		back = append(back, got)
	}
	if live, replayed := earnings.Decider.Fold(history), earnings.Decider.Fold(back); !reflect.DeepEqual(live, replayed) {
		t.Fatalf("replayed state differs:\n live %+v\n replayed %+v", live, replayed)
	}
}

func TestTheLedgerIsWrittenIntoTheAccrualEvent(t *testing.T) {
	b, _ := json.Marshal(v1)
	if !strings.Contains(string(b), `"ledger":"v1"`) || !strings.Contains(string(b), `"work_date":"2025-02-02"`) {
		t.Fatalf("accrual JSON does not carry its ledger: %s", b)
	}
}
