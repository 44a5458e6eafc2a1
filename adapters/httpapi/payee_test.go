package httpapi

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/pquerna/otp/totp"

	"ledgerdesk/app"
	"ledgerdesk/app/authz"
	"ledgerdesk/commands"
	"ledgerdesk/commands/support"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/modulus"
)

const clinicianPassword = "correct horse battery staple"

// portalClinician registers a clinician's portal account with a password and two-factor,
// and returns its id, a bearer token header for it, and a code maker: code(d) is the code
// of the 30-second step d steps from now (-1, 0 or +1 are accepted, each once).
func (e *env) portalClinician(t *testing.T) (string, []string, func(step int) string) {
	t.Helper()
	ctx := context.Background()
	// Three neighbouring steps must all stay acceptable while the test runs: start early
	// in a step.
	if into := time.Now().Unix() % 30; into > 20 {
		time.Sleep(time.Duration(31-into) * time.Second)
	}
	base := time.Now()
	id := uuid.NewString()
	if _, err := e.svc.Register(ctx, support.Registration{AccountID: id, Realm: account.RealmPortal, Role: account.RoleClinician,
		Email: "dr." + id[:8] + "@clinicians.example", Name: "Dr Aisha Okafor", Password: clinicianPassword},
		commands.Metadata{CommandID: commands.NewCommandID()}); err != nil {
		t.Fatal(err)
	}
	meta := func() commands.Metadata { return commands.Metadata{CommandID: commands.NewCommandID(), Actor: id} }
	enrol, err := e.svc.BeginTwoFactor(ctx, id, meta())
	if err != nil {
		t.Fatal(err)
	}
	code := func(step int) string {
		c, err := totp.GenerateCode(enrol.Secret, base.Add(time.Duration(step)*30*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if err := e.svc.ConfirmTwoFactor(ctx, id, enrol.SecretRef, code(-1), meta()); err != nil {
		t.Fatal(err)
	}
	tok, err := CreateToken(ctx, e.pool, e.svc, authz.Actor{Role: authz.Clinician, Subject: id}, "test", 0)
	if err != nil {
		t.Fatal(err)
	}
	return id, []string{"Authorization", "Bearer " + tok.Secret}, code
}

func TestAClinicianSetsTheirBankDetailsOverTheAPIAndAccountsSeeTheChange(t *testing.T) {
	t.Parallel()
	// Password guesses are limited (see the next test): lift the limit here.
	e := newEnv(t, func(c *Config) { c.Limits = Limits{Login: Limit{Every: time.Millisecond, Burst: 1000}} })
	id, auth, code := e.portalClinician(t)
	path := "/api/v1/clinicians/" + id + "/bank-details"
	body := func(password, code string) map[string]any {
		return map[string]any{"account_name": "Dr Aisha Okafor", "sort_code": "40-12-76", "account_number": "12345678", "password": password, "code": code}
	}
	before := e.eventCount(t)
	for name, c := range map[string]struct {
		body   map[string]any
		status int
		says   string
	}{
		"wrong password": {body("not my password", code(0)), http.StatusUnprocessableEntity, "password"},
		"no code":        {body(clinicianPassword, ""), http.StatusUnprocessableEntity, "code"},
		"wrong code":     {body(clinicianPassword, "000000"), http.StatusUnprocessableEntity, "code"},
		"bad sort code": {map[string]any{"account_name": "Dr Aisha Okafor", "sort_code": "40-12-7", "account_number": "12345678",
			"password": clinicianPassword, "code": code(0)}, http.StatusBadRequest, "sort_code"},
		"bad account number": {map[string]any{"account_name": "Dr Aisha Okafor", "sort_code": "40-12-76", "account_number": "1234567",
			"password": clinicianPassword, "code": code(0)}, http.StatusBadRequest, "account_number"},
	} {
		res, b := e.do("", http.MethodPut, path, c.body, auth...)
		if res.StatusCode != c.status || !strings.Contains(string(b), c.says) {
			t.Errorf("%s: %d %s, want %d naming %s", name, res.StatusCode, b, c.status, c.says)
		}
	}
	// Another clinician's details, and anyone but a clinician, are refused.
	if res, b := e.do("", http.MethodPut, "/api/v1/clinicians/c2/bank-details", body(clinicianPassword, code(0)), auth...); res.StatusCode != http.StatusForbidden {
		t.Errorf("someone else's details: %d %s", res.StatusCode, b)
	}
	for _, role := range []authz.Role{authz.Accounts, authz.Admin, authz.Patient} {
		if res, b := e.do(role, http.MethodPut, path, body(clinicianPassword, code(0))); res.StatusCode != http.StatusForbidden {
			t.Errorf("as %s: %d %s", role, res.StatusCode, b)
		}
	}
	if after := e.eventCount(t); after != before {
		t.Fatalf("refused requests appended %d events", after-before)
	}

	// With an Idempotency-Key too: the body holds a password, so no hash of it is kept.
	res, b := e.do("", http.MethodPut, path, body(clinicianPassword, code(0)), append(auth, "Idempotency-Key", "k1")...)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("setting the details: %d %s", res.StatusCode, b)
	}
	rep := decode[app.PayeeChangeReport](t, b)
	if !rep.Changed || rep.SortCode != "40-12-76" || rep.AccountNumber != "****5678" || rep.Modulus.Outcome != modulus.NotChecked ||
		!rep.PayoutsHeldUntil.Equal(rep.SetAt.Add(account.DefaultPayeeCoolingOff)) || !strings.Contains(rep.Message, "could not be checked") {
		t.Fatalf("report = %+v", rep)
	}
	var keys int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM api_idempotency_keys`).Scan(&keys); err != nil || keys != 0 {
		t.Fatalf("idempotency keys stored: %d, %v", keys, err)
	}
	res, b = e.do("", http.MethodGet, path, nil, auth...)
	if now := decode[app.PayeeDetails](t, b); res.StatusCode != http.StatusOK || !now.Set || !now.Held || !now.PayoutsHeldUntil.Equal(rep.PayoutsHeldUntil) ||
		now.AccountNumber != "****5678" || !strings.Contains(now.Message, "cooling-off") {
		t.Fatalf("the details now: %d %s", res.StatusCode, b)
	}
	if res, _ := e.do(authz.Accounts, http.MethodGet, path, nil); res.StatusCode != http.StatusOK {
		t.Fatalf("accounts reading the details: %d", res.StatusCode)
	}
	if res, _ := e.do(authz.Accounts, http.MethodGet, "/api/v1/clinicians/nobody/bank-details", nil); res.StatusCode != http.StatusNotFound {
		t.Fatalf("no such clinician: %d", res.StatusCode)
	}
	// The same details again: nothing changes, no code is needed or spent.
	if res, b := e.do("", http.MethodPut, path, body(clinicianPassword, ""), auth...); res.StatusCode != http.StatusOK || decode[app.PayeeChangeReport](t, b).Changed {
		t.Fatalf("the same details again: %d %s", res.StatusCode, b)
	}
	// A change, with the next code.
	change := body(clinicianPassword, code(1))
	change["account_number"] = "87654321"
	if res, b := e.do("", http.MethodPut, path, change, auth...); res.StatusCode != http.StatusOK {
		t.Fatalf("changing the details: %d %s", res.StatusCode, b)
	}

	var list PayeeChangeList
	waitFor(t, "the bank details changes", func() bool {
		_, b := e.do(authz.Accounts, http.MethodGet, "/api/v1/bank-details/changes", nil)
		list = decode[PayeeChangeList](t, b)
		return len(list.Changes) == 2
	})
	if c := list.Changes[0]; c.AccountID != id || c.By != id || !c.Reauthenticated || !c.Replaced || c.AccountNumber != "****4321" {
		t.Fatalf("the latest change = %+v", c)
	}
	if res, b := e.do("", http.MethodGet, path+"/changes", nil, auth...); res.StatusCode != http.StatusOK || len(decode[PayeeChangeList](t, b).Changes) != 2 {
		t.Fatalf("the clinician's own changes: %d %s", res.StatusCode, b)
	}
	if res, _ := e.do("", http.MethodGet, "/api/v1/bank-details/changes", nil, auth...); res.StatusCode != http.StatusForbidden {
		t.Fatalf("a clinician listing everyone's changes: %d", res.StatusCode)
	}
	if res, _ := e.do(authz.SupportAgent, http.MethodGet, path+"/changes", nil); res.StatusCode != http.StatusForbidden {
		t.Fatalf("a support agent reading bank details changes: %d", res.StatusCode)
	}
	e.checkContract(t)
}

func TestPasswordGuessesAtTheBankDetailsAreLimited(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	id, auth, _ := e.portalClinician(t)
	guess := map[string]any{"account_name": "Dr Aisha Okafor", "sort_code": "40-12-76", "account_number": "12345678", "password": "guess", "code": "123456"}
	for range 50 {
		res, _ := e.do("", http.MethodPut, "/api/v1/clinicians/"+id+"/bank-details", guess, auth...)
		if res.StatusCode == http.StatusTooManyRequests {
			return
		}
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("a wrong password: %d", res.StatusCode)
		}
	}
	t.Fatal("fifty wrong passwords in a row were all tried")
}
