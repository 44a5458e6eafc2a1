package httpapi

import (
	"context"
	"strings"
	"testing"

	"ledgerdesk/commands"
	"ledgerdesk/commands/support"
	"ledgerdesk/domain/account"
)

func TestAVisitorRegistersASupportAccountDistinctFromTheirPortalAccount(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	ctx := context.Background()
	const email, pw = "jo.bloggs@example.co.uk", "correct horse battery staple"
	portal, err := e.svc.Register(ctx, support.Registration{Realm: account.RealmPortal, Role: account.RolePatient, Email: email, Name: "Jo Bloggs", Password: pw},
		commands.Metadata{CommandID: commands.NewCommandID()})
	if err != nil {
		t.Fatal(err)
	}
	before := e.eventCount(t)
	for _, bad := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"email": "jo bloggs@example", "name": "Jo Bloggs", "password": pw}, "email"},
		{map[string]any{"email": email, "name": "Jo Bloggs", "password": "short"}, "password"},
	} {
		res, b := e.do("", "POST", "/api/v1/support-accounts", bad.body)
		if (res.StatusCode != 400 && res.StatusCode != 422) || !strings.Contains(string(b), "field "+bad.field) {
			t.Errorf("%v: %d %s, want 400 or 422 naming %s", bad.body, res.StatusCode, b, bad.field)
		}
	}
	if after := e.eventCount(t); after != before {
		t.Fatalf("refused registrations appended %d events", after-before)
	}
	res, b := e.do("", "POST", "/api/v1/support-accounts", map[string]any{"email": email, "name": "Jo Bloggs", "password": pw})
	if res.StatusCode != 201 {
		t.Fatalf("registering: %d %s", res.StatusCode, b)
	}
	got := decode[SupportAccount](t, b)
	if got.AccountID == "" || got.AccountID == portal {
		t.Fatalf("the support account %q, the portal one %q: want two accounts", got.AccountID, portal)
	}
	id, err := e.svc.Authenticate(ctx, support.Login{Realm: account.RealmSupport, Email: email, Password: pw})
	if err != nil || id != got.AccountID {
		t.Fatalf("signing in to the new account: %q %v", id, err)
	}
	if res, b := e.do("", "POST", "/api/v1/support-accounts", map[string]any{"email": email, "name": "Jo Bloggs", "password": pw}); res.StatusCode != 409 {
		t.Errorf("the same email twice on the support site: %d %s, want 409", res.StatusCode, b)
	}
	e.checkContract(t)
}
