package support_test

import (
	"errors"
	"testing"
	"time"

	"ledgerdesk/app"
	support "ledgerdesk/commands/support"
	"ledgerdesk/commands/support/supporttest"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/ticket"
	policies "ledgerdesk/policies/support"
	readmodel "ledgerdesk/projections/support"
)

const day = 24 * time.Hour

// autoCloseEnv is a support centre on its own database with its read models running, the
// app on the same clock, a requester, an agent and a ticket the agent has just solved.
type autoCloseEnv struct {
	*supporttest.Env
	sweep     policies.AutoClose
	requester string
	agent     string
	ticket    string
}

func newAutoCloseEnv(t *testing.T) autoCloseEnv {
	t.Helper()
	env := supporttest.New(t)
	run(t, env)
	a, err := app.New(app.Config{Commands: env.Deps, DB: env.Pool, Support: env.Service, Now: env.Clock.Now})
	must(t, err)
	e := autoCloseEnv{Env: env, sweep: policies.AutoClose{App: a, DB: env.Pool}}
	e.requester = env.Register(t, account.RealmSupport, account.RoleRequester, "jo@example.co.uk", "Jo Bloggs", pw)
	e.agent = env.Register(t, account.RealmSupport, account.RoleAgent, "sam@practice.example", "Sam Agent", "")
	e.ticket, err = env.Service.OpenTicket(ctx, support.NewTicket{Category: ticket.CategoryOther, Subject: "Invoice query", Body: "Why was I charged twice?"}, supporttest.Meta(e.requester))
	must(t, err)
	must(t, env.Service.ChangeStatus(ctx, e.ticket, ticket.StatusSolved, supporttest.Meta(e.agent)))
	return e
}

// status waits until the read model has the ticket at want.
func (e autoCloseEnv) waitFor(t *testing.T, want ticket.Status) {
	t.Helper()
	eventually(t, "the ticket "+string(want)+" in the read model", func() (bool, error) {
		v, err := readmodel.AgentTicketView(ctx, e.Pool, e.ticket, time.Time{})
		return v.Status == want, err
	})
}

func (e autoCloseEnv) status(t *testing.T) ticket.Status {
	t.Helper()
	st, err := e.Service.Ticket(ctx, e.ticket)
	must(t, err)
	return st.Status
}

// closes counts the solved → closed events in the ticket's history and returns who each
// was recorded under.
func (e autoCloseEnv) closes(t *testing.T) []string {
	t.Helper()
	recs, err := e.Store.ReadStream(ctx, ticket.StreamID(e.ticket), 1, 1000)
	must(t, err)
	var by []string
	for _, r := range recs {
		if r.Type != (ticket.StatusChanged{}).EventType() {
			continue
		}
		ev, err := e.Codec.Decode(ctx, r.Type, r.Data)
		must(t, err)
		if sc := ev.(ticket.StatusChanged); sc.To == ticket.StatusClosed {
			by = append(by, sc.By)
		}
	}
	return by
}

// A ticket solved 8 days ago is closed by the sweep, recorded as the ordinary status
// change under the system actor, shown in its timeline; the requester may no longer reply.
func TestASolvedTicketClosesItselfAfterTheReopenWindow(t *testing.T) {
	t.Parallel()
	e := newAutoCloseEnv(t)
	e.Clock.Advance(8 * day)
	e.waitFor(t, ticket.StatusSolved)

	res, err := e.sweep.Sweep(ctx)
	must(t, err)
	if res.Closed != 1 || e.status(t) != ticket.StatusClosed {
		t.Fatalf("sweep 8 days after solving: %+v, ticket %s; want it closed", res, e.status(t))
	}
	want := "policy:" + policies.AutoCloseName
	if by := e.closes(t); len(by) != 1 || by[0] != want {
		t.Fatalf("closes recorded under %v, want one under %s", by, want)
	}
	e.waitFor(t, ticket.StatusClosed)
	tl, err := readmodel.Timeline(ctx, e.Pool, e.ticket)
	must(t, err)
	found := false
	for _, entry := range tl {
		found = found || (entry.Summary == "status solved → closed" && entry.Actor == want)
	}
	if !found {
		t.Fatalf("the timeline does not show the close by %s: %+v", want, tl)
	}

	err = e.Service.Reply(ctx, e.ticket, "It happened again.", supporttest.Meta(e.requester))
	if !errors.Is(err, ticket.ErrTicketClosed) {
		t.Fatalf("the requester's reply after the auto-close: %v, want ErrTicketClosed", err)
	}
}

// Invariant: a ticket closed once stays closed once, however often the sweep runs, even
// while the read model still says solved (the derived command id replays).
func TestRunningTheSweepTwiceClosesOnce(t *testing.T) {
	t.Parallel()
	e := newAutoCloseEnv(t)
	e.Clock.Advance(8 * day)
	e.waitFor(t, ticket.StatusSolved)

	first, err := e.sweep.Sweep(ctx)
	must(t, err)
	second, err := e.sweep.Sweep(ctx) // the read model may not have seen the close yet
	must(t, err)
	e.waitFor(t, ticket.StatusClosed)
	third, err := e.sweep.Sweep(ctx)
	must(t, err)
	if first.Closed != 1 || second.Closed != 0 || third.Closed != 0 {
		t.Fatalf("three sweeps closed %d, %d, %d; want 1, 0, 0", first.Closed, second.Closed, third.Closed)
	}
	if by := e.closes(t); len(by) != 1 {
		t.Fatalf("%d closes in the ticket's history, want 1", len(by))
	}
}

// Invariant: a ticket the requester can still reopen is never closed: one solved 6 days
// ago, and one the requester reopened by replying.
func TestTheSweepLeavesTicketsThatCanStillBeReopened(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]struct {
		setup func(t *testing.T, e autoCloseEnv)
		want  ticket.Status
	}{
		"solved 6 days ago": {func(t *testing.T, e autoCloseEnv) { e.Clock.Advance(6 * day) }, ticket.StatusSolved},
		"reopened by the requester": {func(t *testing.T, e autoCloseEnv) {
			e.Clock.Advance(2 * day)
			must(t, e.Service.Reply(ctx, e.ticket, "Still charged twice.", supporttest.Meta(e.requester)))
			e.Clock.Advance(8 * day)
		}, ticket.StatusOpen},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newAutoCloseEnv(t)
			c.setup(t, e)
			e.waitFor(t, c.want)
			res, err := e.sweep.Sweep(ctx)
			must(t, err)
			if res.Closed != 0 || e.status(t) != c.want || len(e.closes(t)) != 0 {
				t.Fatalf("sweep: %+v, ticket %s, closes %v; want it left %s", res, e.status(t), e.closes(t), c.want)
			}
		})
	}
}
