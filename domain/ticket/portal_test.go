package ticket_test

import (
	"strings"
	"testing"
	"time"

	"ledgerdesk/domain/check"
	"ledgerdesk/domain/ticket"
)

// The verification names the portal account whose two-factor the policy resets: the
// requester's support account is a different account.
func TestAVerificationNamesThePortalAccountItWasComparedWith(t *testing.T) {
	given := []ticket.Event{twoFA, assigned(agent), attached(doc1, ticket.KindPassport, nil), viewed(doc1, agent)}
	spec().Given(given...).
		When(ticket.VerifyIdentity{TicketID: tk, AgentID: agent, Decision: ticket.DecisionVerified, PortalAccountID: "portal-1", At: at(time.Hour)}).
		Then(t, ticket.IdentityVerified{TicketID: tk, AgentID: agent, AttachmentIDs: []string{doc1}, PortalAccountID: "portal-1", At: at(time.Hour)})
	for name, id := range map[string]string{"spaces": "portal 1", "too long": strings.Repeat("p", check.MaxIDLength+1), "control": "portal\x001"} {
		t.Run(name, func(t *testing.T) {
			spec().Given(given...).
				When(ticket.VerifyIdentity{TicketID: tk, AgentID: agent, Decision: ticket.DecisionVerified, PortalAccountID: id, At: at(time.Hour)}).
				ThenError(t, ticket.ErrInvalidInput)
		})
	}
}
