package ticket_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"ledgerdesk/domain/ticket"
)

type dataSubject interface{ DataSubject() string }

// Every event type is named "ticket.<name>.v1", uniquely, and every event carrying free
// text can name the requester whose key encrypts it.
func TestEveryEventIsNamedAndItsPersonalDataHasASubject(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range ticket.EventTypes() {
		name := e.EventType()
		if !strings.HasPrefix(name, "ticket.") || !strings.HasSuffix(name, ".v1") || seen[name] {
			t.Errorf("%T: bad or duplicate event type %q", e, name)
		}
		seen[name] = true
		typ := reflect.TypeOf(e)
		hasPII := false
		for i := 0; i < typ.NumField(); i++ {
			f := typ.Field(i)
			if f.Tag.Get("json") == "" {
				t.Errorf("%T.%s has no json tag", e, f.Name)
			}
			if f.Tag.Get("pii") == "true" {
				hasPII = true
				if f.Type.Kind() != reflect.String {
					t.Errorf("%T.%s is pii but not a string", e, f.Name)
				}
			}
			if (f.Name == "Body" || f.Name == "Subject" || f.Name == "Reason") && f.Tag.Get("pii") != "true" {
				t.Errorf("%T.%s is free text but not tagged pii", e, f.Name)
			}
		}
		if _, ok := e.(dataSubject); hasPII && !ok {
			t.Errorf("%T has personal data but no DataSubject method", e)
		}
	}
	if got := (ticket.PublicReplyPosted{RequesterAccountID: requester}).DataSubject(); got != requester {
		t.Errorf("DataSubject = %q", got)
	}
}

func TestEventsRoundTripThroughJSON(t *testing.T) {
	when := time.Date(2025, 2, 3, 10, 0, 0, 0, time.UTC)
	for _, e := range []ticket.Event{
		ticket.Opened{TicketID: tk, RequesterAccountID: requester, Category: ticket.CategoryBlockedIP, Subject: "s", Body: "b", IP: "203.0.113.7", At: when},
		ticket.DocumentAttached{TicketID: tk, AttachmentID: doc1, Kind: ticket.KindStudentCard, ContentType: "image/png", Size: 9, ExpiresOn: date("2026-07-31"), UploadedBy: requester, At: when},
		ticket.DocumentAttached{TicketID: tk, AttachmentID: doc1, Kind: ticket.KindPassport, ContentType: "image/png", Size: 9, UploadedBy: requester, At: when},
		ticket.IdentityVerified{TicketID: tk, AgentID: agent, AttachmentIDs: []string{doc1}, At: when},
	} {
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		back := reflect.New(reflect.TypeOf(e))
		if err := json.Unmarshal(b, back.Interface()); err != nil {
			t.Fatalf("%T: %s: %v", e, b, err)
		}
		if !reflect.DeepEqual(back.Elem().Interface(), e) {
			t.Errorf("%T: %s came back as %+v", e, b, back.Elem().Interface())
		}
	}
}

func TestStreamIDsAreInTheTicketCategory(t *testing.T) {
	if got := ticket.StreamID("x"); got != ticket.StreamCategory+"-x" {
		t.Fatalf("StreamID = %q", got)
	}
}
