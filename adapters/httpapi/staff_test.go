package httpapi

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"ledgerdesk/app/authz"
	psupport "ledgerdesk/projections/support"
)

func TestAnAgentAssignsAndPrioritisesATicketAndTheQueueFiltersShowIt(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	mine, other := e.projectedTicket(t, "p1"), e.projectedTicket(t, "p1")
	agent := subjectOf(authz.SupportAgent)
	if res, b := e.do(authz.SupportAgent, "POST", "/api/v1/support/tickets/"+mine+"/assignment", map[string]any{"agent_id": agent}); res.StatusCode != 200 {
		t.Fatalf("assign: %d %s", res.StatusCode, b)
	}
	if res, b := e.do(authz.SupportAgent, "POST", "/api/v1/support/tickets/"+mine+"/priority", map[string]any{"priority": "urgent"}); res.StatusCode != 200 {
		t.Fatalf("priority: %d %s", res.StatusCode, b)
	}
	queue := func(query string) []string {
		_, b := e.do(authz.SupportAgent, "GET", "/api/v1/support/queue"+query, nil)
		var ids []string
		for _, it := range decode[TicketQueue](t, b).Tickets {
			ids = append(ids, it.TicketID)
		}
		return ids
	}
	waitFor(t, "the assignment and priority in the read model", func() bool {
		got := queue("?priority=urgent&assignee=" + agent)
		return len(got) == 1 && got[0] == mine
	})
	// Most urgent first, whatever the order they were opened in.
	if got := queue(""); len(got) != 2 || got[0] != mine || got[1] != other {
		t.Errorf("queue order %v, want the urgent %s first", got, mine)
	}
	if got := queue("?unassigned=true"); len(got) != 1 || got[0] != other {
		t.Errorf("unassigned %v, want only %s", got, other)
	}
	if got := queue("?priority=low"); len(got) != 0 {
		t.Errorf("low priority %v, want none", got)
	}
	if got := queue("?older_than_hours=1"); len(got) != 0 {
		t.Errorf("older than an hour %v, want none: both were just opened", got)
	}
	_, b := e.do(authz.SupportAgent, "GET", "/api/v1/support/tickets/"+mine+"/timeline", nil)
	tl := decode[TicketTimeline](t, b)
	var words []string
	for _, en := range tl.Entries {
		words = append(words, en.Summary)
	}
	all := strings.Join(words, " | ")
	if !strings.Contains(all, "priority normal → urgent") || !strings.Contains(all, agent) && !strings.Contains(all, "assign") {
		t.Errorf("timeline %q lacks the assignment or the priority change", all)
	}
	e.checkContract(t)
}

func TestARefusedAssignmentOrPriorityWritesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	id := e.projectedTicket(t, "p1")
	before := e.eventCount(t)
	for _, c := range []struct {
		path string
		body map[string]any
		want int
	}{
		// A requester's account is not an agent's: tickets go to agents only.
		{"/assignment", map[string]any{"agent_id": "p1"}, http.StatusForbidden},
		{"/assignment", map[string]any{"agent_id": "no-such-account"}, http.StatusForbidden},
		{"/priority", map[string]any{"priority": "whenever"}, http.StatusUnprocessableEntity},
	} {
		res, b := e.do(authz.SupportAgent, "POST", "/api/v1/support/tickets/"+id+c.path, c.body)
		if res.StatusCode != c.want {
			t.Errorf("%s %v: %d, want %d: %s", c.path, c.body, res.StatusCode, c.want, b)
		}
	}
	if after := e.eventCount(t); after != before {
		t.Errorf("refused requests wrote %d events", after-before)
	}
	v, err := psupport.AgentTicketView(context.Background(), e.pool, id, time.Time{})
	if err != nil || v.AssigneeID != "" || v.Priority != "normal" {
		t.Errorf("ticket after refusals: %+v %v", v, err)
	}
}
