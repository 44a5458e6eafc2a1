package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"ledgerdesk/app/authz"
	"ledgerdesk/commands"
)

func TestATokenRoleMustMatchItsSubjectsAccount(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	ctx := context.Background()
	// p1 is a requester: it opens a ticket, on which an agent writes an internal note.
	id := e.projectedTicket(t, "p1")
	const note = "internal: do not show the requester"
	if err := e.svc.AddNote(ctx, id, note, commands.Metadata{CommandID: commands.NewCommandID(), Actor: subjectOf(authz.SupportAgent)}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the note in the agents' view", func() bool {
		res, b := e.do(authz.SupportAgent, "GET", "/api/v1/support/tickets/"+id, nil)
		return res.StatusCode == http.StatusOK && strings.Contains(string(b), note)
	})
	for _, c := range []struct {
		role    authz.Role
		subject string
	}{
		{authz.SupportAgent, "p1"},                     // a requester as an agent
		{authz.ITSupport, "p1"},                        // likewise
		{authz.SupportAgent, "nobody-at-all"},          // no account at all
		{authz.Patient, subjectOf(authz.SupportAgent)}, // an agent's account as a patient
		{authz.Clinician, subjectOf(authz.ITSupport)},  // an agent's account as a clinician
	} {
		tok, err := CreateToken(ctx, e.pool, e.svc, authz.Actor{Role: c.role, Subject: c.subject}, "mismatch", 0)
		if err == nil {
			// Had it been issued, this is what it would read.
			res, b := e.do("", "GET", "/api/v1/support/tickets/"+id, nil, "Authorization", "Bearer "+tok.Secret)
			t.Errorf("a %s token for %q was issued; agent view: %d notes shown: %v", c.role, c.subject, res.StatusCode, strings.Contains(string(b), note))
			continue
		}
		if !errors.Is(err, ErrTokenRole) {
			t.Errorf("a %s token for %q: %v, want ErrTokenRole", c.role, c.subject, err)
		}
	}
	// What does match is issued: an agent's own token, a requester's patient token, and a
	// subject without an account for a non-support role.
	for _, a := range []authz.Actor{{Role: authz.SupportAgent, Subject: subjectOf(authz.SupportAgent)}, {Role: authz.Patient, Subject: "p1"}, {Role: authz.Auditor, Subject: "staff-7"}} {
		if _, err := CreateToken(ctx, e.pool, e.svc, a, "match", 0); err != nil {
			t.Errorf("a %s token for %q: %v", a.Role, a.Subject, err)
		}
	}
	if _, err := CreateToken(ctx, e.pool, nil, authz.Actor{Role: authz.SupportAgent, Subject: subjectOf(authz.SupportAgent)}, "no support centre", 0); !errors.Is(err, ErrTokenRole) {
		t.Errorf("a support token with no accounts to check: %v, want ErrTokenRole", err)
	}
}
