package support_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"ledgerdesk/commands/support/supporttest"
	"ledgerdesk/domain/account"
)

const strongPassword = "correct horse battery staple"

var ctx = context.Background()

// people registers the usual cast: a requester and two agents on the support site, and a
// patient on the portal who shares the requester's email.
type people struct {
	requester, agent, agent2, patient, stranger string
}

func cast(t *testing.T, env *supporttest.Env) people {
	t.Helper()
	return people{
		requester: env.Register(t, account.RealmSupport, account.RoleRequester, "jo@example.co.uk", "Jo Bloggs", strongPassword),
		agent:     env.Register(t, account.RealmSupport, account.RoleAgent, "sam@practice.example", "Sam Agent", ""),
		agent2:    env.Register(t, account.RealmSupport, account.RoleAgent, "kim@practice.example", "Kim Agent", ""),
		patient:   env.Register(t, account.RealmPortal, account.RolePatient, "jo@example.co.uk", "Jo Bloggs", strongPassword),
		stranger:  env.Register(t, account.RealmSupport, account.RoleRequester, "eve@example.com", "Eve Other", ""),
	}
}

// events is how many events the store holds: a refusal must leave it unchanged.
func events(t *testing.T, env *supporttest.Env) int {
	t.Helper()
	var n int
	if err := env.Pool.QueryRow(ctx, `SELECT count(*) FROM events`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// refused checks err matches every want and that nothing was appended meanwhile.
func refused(t *testing.T, env *supporttest.Env, before int, err error, want ...error) {
	t.Helper()
	if err == nil {
		t.Fatalf("accepted, want %v", want)
	}
	for _, w := range want {
		if !errors.Is(err, w) {
			t.Fatalf("error %q does not match %v", err, w)
		}
	}
	if after := events(t, env); after != before {
		t.Fatalf("a refused command appended %d events", after-before)
	}
}

// noEventContains fails if any stored event's data or metadata contains one of secrets.
func noEventContains(t *testing.T, env *supporttest.Env, secrets ...string) {
	t.Helper()
	rows, err := env.Pool.Query(ctx, `SELECT type, data::text || metadata::text FROM events`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var typ, text string
		if err := rows.Scan(&typ, &text); err != nil {
			t.Fatal(err)
		}
		for _, s := range secrets {
			if s != "" && strings.Contains(text, s) {
				t.Fatalf("event %s holds a secret in the clear", typ)
			}
		}
	}
}
