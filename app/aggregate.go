package app

import (
	"context"
	"fmt"
	"reflect"

	"github.com/google/uuid"

	"ledgerdesk/app/authz"
	"ledgerdesk/commands"
	"ledgerdesk/domain/decider"
	"ledgerdesk/eventstore"
)

// Outcome is what a command did.
type Outcome struct {
	Stream string
	// Version is the stream's version after the command (send it as IfMatch next time).
	Version uint64
	// Events are the events the command appended, or had appended when Replayed.
	Events []decider.Event
	// Position is the global position of the last event appended; zero when none was.
	Position eventstore.Position
	// Replayed says the command had already run: this is its recorded result.
	Replayed      bool
	CommandID     uuid.UUID
	CorrelationID uuid.UUID
}

// EventTypes are the types of the events the command recorded.
func (o Outcome) EventTypes() []string {
	out := make([]string, 0, len(o.Events))
	for _, e := range o.Events {
		out = append(out, e.EventType())
	}
	return out
}

// aggregate is what the application layer knows about one aggregate: its decider, and
// whose record a stream of it is.
type aggregate[S, C any, E decider.Event] struct {
	decider decider.Decider[S, C, E]
	// owner says whose record the state is, once the stream exists.
	owner func(S) authz.Resource
}

// row is one command of an aggregate: everything Execute needs to run it.
type row struct {
	spec Spec
	// run decides cmd; stream is set for a command that does not name its own (see To).
	run func(ctx context.Context, a *App, r *Request, cmd any, stream string) (Outcome, error)
}

// rows holds every aggregate command by its Go type; see register.
var rows = map[reflect.Type]row{}

// on registers Cmd as a command of agg: its action and rule, the stream it acts on, and
// (for a command that creates its record, or names another party) whose record it is
// from the command itself. Registering a type twice, or one that is not a command of
// agg, panics at start-up.
func on[Cmd any, S, C any, E decider.Event](agg aggregate[S, C, E], action string, rule authz.Rule, stream func(Cmd) string, whose func(S, Cmd) authz.Resource) {
	t := reflect.TypeFor[Cmd]()
	if !t.Implements(reflect.TypeFor[C]()) {
		panic(fmt.Sprintf("app: %s is not a command of the aggregate (%s)", t, reflect.TypeFor[C]()))
	}
	if _, dup := rows[t]; dup {
		panic(fmt.Sprintf("app: %s registered twice", t))
	}
	spec := declare(command(action, rule))
	rows[t] = row{spec: spec, run: func(ctx context.Context, a *App, r *Request, cmd any, _ string) (Outcome, error) {
		c := cmd.(Cmd)
		res := func(s S) authz.Resource {
			if whose != nil {
				return whose(s, c)
			}
			return agg.owner(s)
		}
		return decide(ctx, a, r, agg.decider, stream(c), any(c).(C), res)
	}}
}

// Execute runs an aggregate command for the caller, through the decorators: cmd is a
// concrete command (appointment.Book{...}) registered in this package.
func (a *App) Execute(ctx context.Context, call Call, cmd any) (Outcome, error) {
	stream := ""
	if t, ok := cmd.(Addressed); ok {
		stream, cmd = t.Stream, t.Command
		if stream == "" {
			return Outcome{}, fmt.Errorf("%w: %T addressed to no stream", commands.ErrInvalidMetadata, cmd)
		}
	}
	rw, ok := rows[reflect.TypeOf(cmd)]
	if !ok {
		return Outcome{}, fmt.Errorf("%w: %T is not a command the application knows", commands.ErrInvalidMetadata, cmd)
	}
	return run(ctx, a, call, rw.spec, func(ctx context.Context, r *Request) (Outcome, error) {
		return rw.run(ctx, a, r, cmd, stream)
	})
}

// guarded adds to Cmd's row (registered already) a check run before the decision, for
// what crosses aggregates and so cannot be decided against the command's own stream (a
// clinician's appointments with the invoice's patient). It runs on every attempt, replays
// too; it should depend only on what its stream cannot change (an invoice's patient), so
// that what it checked still holds when the decision is made.
func guarded[Cmd any](g func(ctx context.Context, a *App, r *Request, c Cmd) error) {
	t := reflect.TypeFor[Cmd]()
	rw, ok := rows[t]
	if !ok {
		panic(fmt.Sprintf("app: %s guarded before it is registered", t))
	}
	inner := rw.run
	rw.run = func(ctx context.Context, a *App, r *Request, cmd any, stream string) (Outcome, error) {
		if err := g(ctx, a, r, cmd.(Cmd)); err != nil {
			return Outcome{}, err
		}
		return inner(ctx, a, r, cmd, stream)
	}
	rows[t] = rw
}

// Addressed is a command sent to a stream it does not name itself (not every earnings
// command names its clinician); only commands registered with onAddressed take one.
type Addressed struct {
	Stream  string
	Command any
}

// ActionOf is the action a command is registered under.
func ActionOf(cmd any) (string, bool) {
	rw, ok := rows[reflect.TypeOf(cmd)]
	return rw.spec.Action, ok
}

// versioned is an aggregate's state with the number of events folded into it.
type versioned[S any] struct {
	s S
	n uint64
}

// decide runs cmd on stream. The rule is checked inside the decision, against the very
// state the command is decided on (again on every retry after a version conflict), so
// there is no gap between "may they?" and "do it"; so is IfMatch.
func decide[S, C any, E decider.Event](ctx context.Context, a *App, r *Request, inner decider.Decider[S, C, E], stream string, cmd C, whose func(S) authz.Resource) (Outcome, error) {
	d := decider.Decider[versioned[S], C, E]{
		Initial: func() versioned[S] { return versioned[S]{s: inner.Initial()} },
		Evolve: func(v versioned[S], e E) versioned[S] {
			return versioned[S]{s: inner.Evolve(v.s, e), n: v.n + 1}
		},
		Decide: func(v versioned[S], c C) ([]E, error) {
			if err := r.Authorize(whose(v.s)); err != nil {
				return nil, err
			}
			if r.IfMatch != nil && *r.IfMatch != v.n {
				return nil, &VersionMismatchError{Stream: stream, Expected: *r.IfMatch, Current: v.n}
			}
			return inner.Decide(v.s, c)
		},
	}
	res, err := commands.Execute(ctx, a.cfg.Commands, d, stream, cmd, r.Meta)
	if err != nil {
		return Outcome{}, err
	}
	if res.Replayed {
		// A replay decides nothing, so the rule is checked against the stream as it is now.
		s, _, err := commands.Load(ctx, a.cfg.Commands, inner, stream)
		if err != nil {
			return Outcome{}, err
		}
		if err := r.Authorize(whose(s)); err != nil {
			return Outcome{}, err
		}
	}
	out := Outcome{Stream: res.Stream, Version: res.Version, Position: res.Position, Replayed: res.Replayed,
		CommandID: r.Meta.CommandID, CorrelationID: r.Meta.CorrelationID}
	for _, e := range res.Events {
		out.Events = append(out.Events, e)
	}
	return out, nil
}

// load reads one record for a query: the state and version once the caller may see it.
// A record that does not exist is not found for everyone.
func load[S, C any, E decider.Event](ctx context.Context, a *App, r *Request, agg aggregate[S, C, E], stream string) (S, uint64, error) {
	s, v, err := commands.Load(ctx, a.cfg.Commands, agg.decider, stream)
	if err != nil {
		return s, v, err
	}
	if err := r.Authorize(agg.owner(s)); err != nil {
		var zero S
		return zero, 0, err
	}
	return s, v, nil
}

// onAddressed registers Cmd as a command of agg that is sent in an Addressed, to the
// stream the sender names; its rule is checked against that stream's owner.
func onAddressed[Cmd any, S, C any, E decider.Event](agg aggregate[S, C, E], action string, rule authz.Rule) {
	t := reflect.TypeFor[Cmd]()
	if !t.Implements(reflect.TypeFor[C]()) {
		panic(fmt.Sprintf("app: %s is not a command of the aggregate (%s)", t, reflect.TypeFor[C]()))
	}
	if _, dup := rows[t]; dup {
		panic(fmt.Sprintf("app: %s registered twice", t))
	}
	spec := declare(command(action, rule))
	rows[t] = row{spec: spec, run: func(ctx context.Context, a *App, r *Request, cmd any, stream string) (Outcome, error) {
		if stream == "" {
			return Outcome{}, fmt.Errorf("%w: %s needs an Addressed stream", commands.ErrInvalidMetadata, t)
		}
		return decide(ctx, a, r, agg.decider, stream, any(cmd.(Cmd)).(C), agg.owner)
	}}
}
