package account_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"ledgerdesk/domain/account"
)

type dataSubject interface{ DataSubject() string }

// Every event type is named "account.<name>.v1", uniquely, and every event carrying
// personal data can name its data subject, or crypto-shredding could not find its key.
func TestEveryEventIsNamedAndItsPersonalDataHasASubject(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range account.EventTypes() {
		name := e.EventType()
		if !strings.HasPrefix(name, "account.") || !strings.HasSuffix(name, ".v1") || seen[name] {
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
			if n := strings.ToLower(f.Name); strings.Contains(n, "password") || strings.Contains(n, "secret") && n != "secretref" || n == "token" {
				t.Errorf("%T.%s looks like a secret in an event", e, f.Name)
			}
		}
		if _, ok := e.(dataSubject); hasPII && !ok {
			t.Errorf("%T has personal data but no DataSubject method", e)
		}
	}
}

// Events survive the JSON the event store keeps.
func TestEventsRoundTripThroughJSON(t *testing.T) {
	when := time.Date(2025, 2, 3, 10, 0, 0, 0, time.UTC)
	for _, e := range []account.Event{
		account.Registered{AccountID: acct, Realm: account.RealmPortal, Role: account.RolePatient, Email: "a@b.co", Name: "A", At: when},
		account.SupportAccessGranted{AccountID: acct, GrantID: grant, Scopes: []account.Scope{account.ScopeLogInAs}, At: when, ExpiresAt: when.Add(time.Hour)},
		account.PasswordChanged{AccountID: acct, By: account.ChangedBySupport, GrantID: grant, AgentID: agent, At: when},
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
			t.Errorf("%T: %s came back as %+v", e, b, back.Elem().Interface())
		}
	}
}

func TestPasswordsNeverReachJSON(t *testing.T) {
	b, _ := json.Marshal(account.ChangePassword{AccountID: acct, NewPassword: goodPw, At: t0})
	if strings.Contains(string(b), goodPw) {
		t.Fatalf("command JSON %s carries the password", b)
	}
}

func TestStreamIDsAreInTheAccountCategory(t *testing.T) {
	if got := account.StreamID("x"); got != account.StreamCategory+"-x" {
		t.Fatalf("StreamID = %q", got)
	}
}
