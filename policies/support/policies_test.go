package support_test

import (
	"errors"
	"testing"
	"time"

	"ledgerdesk/commands"
	"ledgerdesk/commands/support/supporttest"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/ticket"
	"ledgerdesk/eventstore"
	policies "ledgerdesk/policies/support"
)

// recorded turns a ticket event into what the runner would deliver.
func recorded(t *testing.T, env *supporttest.Env, e ticket.Event) eventstore.RecordedEvent {
	t.Helper()
	typ, data, err := env.Codec.Encode(ctx, e)
	if err != nil {
		t.Fatal(err)
	}
	return eventstore.RecordedEvent{ID: commands.NewCommandID(), StreamID: ticket.StreamID("t-1"), Version: 9, Type: typ, Data: data, Metadata: []byte(`{}`)}
}

func TestARedeliveredVerificationResetsTwoFactorOnce(t *testing.T) {
	t.Parallel()
	env := supporttest.New(t)
	portal := env.Register(t, account.RealmPortal, account.RolePatient, "jo@example.co.uk", "Jo Bloggs", pw)
	must(t, supporttest.EnrolTwoFactor(ctx, env, portal))
	p := policies.NewTwoFactorReset(env.Service, nil)
	e := recorded(t, env, ticket.IdentityVerified{TicketID: "t-1", AgentID: "agent-1", AttachmentIDs: []string{"a"}, PortalAccountID: portal, At: time.Now()})
	for range 3 {
		must(t, p.Apply(ctx, nil, e))
	}
	recs, err := env.Store.ReadStream(ctx, account.StreamID(portal), 1, 100)
	must(t, err)
	resets := 0
	for _, r := range recs {
		if r.Type == (account.TwoFactorReset{}).EventType() {
			resets++
		}
	}
	if resets != 1 {
		t.Fatalf("%d resets for one verification delivered three times", resets)
	}
	// Other events, and a verification that names no portal account, do nothing.
	must(t,
		p.Apply(ctx, nil, recorded(t, env, ticket.IdentityVerified{TicketID: "t-1", AgentID: "agent-1", AttachmentIDs: []string{"a"}, At: time.Now()})),
		p.Apply(ctx, nil, recorded(t, env, ticket.Assigned{TicketID: "t-1", AgentID: "a", By: "a", At: time.Now()})),
	)
}

func TestAVerificationForAMissingAccountFailsSoTheRunnerRetriesAndParksIt(t *testing.T) {
	t.Parallel()
	env := supporttest.New(t)
	p := policies.NewTwoFactorReset(env.Service, nil)
	err := p.Apply(ctx, nil, recorded(t, env, ticket.IdentityVerified{TicketID: "t-1", AgentID: "agent-1", AttachmentIDs: []string{"a"}, PortalAccountID: "ghost", At: time.Now()}))
	if !errors.Is(err, account.ErrAccountNotFound) {
		t.Fatalf("reset of a missing account: %v", err)
	}
}

func TestParseRetention(t *testing.T) {
	t.Parallel()
	day := 24 * time.Hour
	for in, want := range map[string]time.Duration{"": 30 * day, "30d": 30 * day, " 7d ": 7 * day, "720h": 30 * day, "1d": day, "366d": 366 * day, "36h": 36 * time.Hour} {
		if got, err := policies.ParseRetention(in); err != nil || got != want {
			t.Errorf("ParseRetention(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"0d", "-3d", "+3d", "30m", "12h", "367d", "99999999999999999999d", "d", "30 days", "1.5d", "1e3h", "forever"} {
		if got, err := policies.ParseRetention(in); !errors.Is(err, policies.ErrInvalidRetention) {
			t.Errorf("ParseRetention(%q) = %v, %v; want ErrInvalidRetention", in, got, err)
		}
	}
}

// ParseRetention never panics and whatever it accepts is within the limits.
func FuzzParseRetention(f *testing.F) {
	for _, s := range []string{"", "30d", "720h", "0d", "-1d", "1d1h", "9223372036854775807d", "1h30m", "٣d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := policies.ParseRetention(s)
		if err != nil {
			if !errors.Is(err, policies.ErrInvalidRetention) {
				t.Fatalf("error %v is not ErrInvalidRetention", err)
			}
			return
		}
		if d < policies.MinRetention || d > policies.MaxRetention {
			t.Fatalf("ParseRetention(%q) = %v, outside the limits", s, d)
		}
	})
}
