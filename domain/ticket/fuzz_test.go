package ticket_test

import (
	"errors"
	"testing"
	"time"

	"ledgerdesk/domain/ticket"
)

func FuzzParseValues(f *testing.F) {
	for _, s := range []string{"blocked_ip", "urgent", "passport", "solved", "", "OTHER"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, parse := range []func(string) (string, error){
			func(s string) (string, error) { v, err := ticket.ParseCategory(s); return string(v), err },
			func(s string) (string, error) { v, err := ticket.ParsePriority(s); return string(v), err },
			func(s string) (string, error) { v, err := ticket.ParseDocumentKind(s); return string(v), err },
			func(s string) (string, error) { v, err := ticket.ParseStatus(s); return string(v), err },
		} {
			v, err := parse(s)
			if err != nil && !errors.Is(err, ticket.ErrInvalidInput) {
				t.Fatalf("%q: %v", s, err)
			}
			if err == nil && v != s {
				t.Fatalf("%q read as %q", s, v)
			}
		}
	})
}

// Decide never panics on any input, and a rejection never comes with events.
func FuzzDecide(f *testing.F) {
	f.Add(uint8(0), tk, requester, "blocked_ip", "subject", "body", "203.0.113.7", int64(60), int64(5))
	f.Add(uint8(5), tk, agent, "passport", "image/png", "", "", int64(60), int64(1<<20))
	f.Fuzz(func(t *testing.T, kind uint8, id, who, a, b, c, d string, secs, n int64) {
		when := t0.Add(time.Duration(secs) * time.Second)
		states := []ticket.State{{}, ticket.Decider.Fold([]ticket.Event{twoFA, assigned(agent), attached(doc1, ticket.KindPassport, nil), viewed(doc1, agent)})}
		states = append(states, ticket.Decider.Fold(append([]ticket.Event{twoFA}, closedAt(time.Hour)...)))
		cmds := []ticket.Command{
			ticket.Open{TicketID: id, RequesterAccountID: who, Category: ticket.Category(a), Subject: b, Body: c, IP: d, At: when},
			ticket.PublicReply{TicketID: id, AuthorID: who, Body: a, At: when},
			ticket.InternalNote{TicketID: id, AgentID: who, Body: a, At: when},
			ticket.ChangeStatus{TicketID: id, To: ticket.Status(a), By: who, ByAgent: n%2 == 0, At: when},
			ticket.SetPriority{TicketID: id, Priority: ticket.Priority(a), By: who, At: when},
			ticket.AttachDocument{TicketID: id, AttachmentID: d, UploadedBy: who, Kind: ticket.DocumentKind(a), ContentType: b, Size: n, At: when},
			ticket.ViewDocument{TicketID: id, AttachmentID: a, AgentID: who, At: when},
			ticket.VerifyIdentity{TicketID: id, AgentID: who, Decision: ticket.Decision(a), Reason: b, At: when},
			ticket.DestroyExpiredDocuments{TicketID: id, Retention: time.Duration(n), At: when},
		}
		cmd := cmds[int(kind)%len(cmds)]
		for _, s := range states {
			events, err := ticket.Decide(s, cmd)
			if err != nil && len(events) != 0 {
				t.Fatalf("rejected with events: %v %v", err, events)
			}
		}
	})
}
