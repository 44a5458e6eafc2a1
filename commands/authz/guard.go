package authz

import (
	"context"
	"errors"
	"fmt"

	"ledgerdesk/commands"
	"ledgerdesk/domain/decider"
)

// ErrVersionMismatch is matched by every *VersionMismatchError.
var ErrVersionMismatch = errors.New("the record has changed since it was read")

// VersionMismatchError says a command was sent against a version of its stream that is no
// longer current (HTTP If-Match), and what the current version is.
type VersionMismatchError struct {
	Stream   string
	Expected uint64
	Current  uint64
}

func (e *VersionMismatchError) Error() string {
	return fmt.Sprintf("%s: %s was read at version %d, it is now at version %d", ErrVersionMismatch, e.Stream, e.Expected, e.Current)
}

func (e *VersionMismatchError) Unwrap() error { return ErrVersionMismatch }

// Guard runs an aggregate's commands for an actor. The check happens inside the decision,
// against the very state the command is decided on (re-checked on every retry after a
// version conflict), so there is no gap between "may they?" and "do it".
type Guard[S, C any, E decider.Event] struct {
	Decider decider.Decider[S, C, E]
	// Stream names the stream a command acts on.
	Stream func(C) string
	// Action is what the command does.
	Action func(C) Action
	// Resource says whose record it is: from the state once the stream exists, from the
	// command when it creates the record.
	Resource func(S, C) Resource
}

// Options are the optional parts of a guarded command.
type Options struct {
	// IfMatch, when set, is the stream version the caller saw; the command is refused
	// with a *VersionMismatchError if the stream has moved on.
	IfMatch *uint64
}

// versioned is the aggregate's state with the number of events folded into it.
type versioned[S any] struct {
	s S
	n uint64
}

// Execute checks and runs cmd for actor. The actor becomes the metadata's actor, so the
// events say who acted whatever the caller put there.
func (g Guard[S, C, E]) Execute(ctx context.Context, deps commands.Deps, actor Actor, cmd C, meta commands.Metadata, opt Options) (commands.Result[E], error) {
	if err := actor.Valid(); err != nil {
		return commands.Result[E]{}, err
	}
	stream := g.Stream(cmd)
	meta.Actor = actor.Subject
	inner := g.Decider
	d := decider.Decider[versioned[S], C, E]{
		Initial: func() versioned[S] { return versioned[S]{s: inner.Initial()} },
		Evolve: func(v versioned[S], e E) versioned[S] {
			return versioned[S]{s: inner.Evolve(v.s, e), n: v.n + 1}
		},
		Decide: func(v versioned[S], c C) ([]E, error) {
			if err := Authorize(actor, g.Action(c), g.Resource(v.s, c)); err != nil {
				return nil, err
			}
			if opt.IfMatch != nil && *opt.IfMatch != v.n {
				return nil, &VersionMismatchError{Stream: stream, Expected: *opt.IfMatch, Current: v.n}
			}
			return inner.Decide(v.s, c)
		},
	}
	return commands.Execute(ctx, deps, d, stream, cmd, meta)
}

// Load reads the record for actor: the state and version, once action is allowed on it.
func (g Guard[S, C, E]) Load(ctx context.Context, deps commands.Deps, actor Actor, action Action, stream string, resource func(S) Resource) (S, uint64, error) {
	s, v, err := commands.Load(ctx, deps, g.Decider, stream)
	if err != nil {
		return s, v, err
	}
	if err := Authorize(actor, action, resource(s)); err != nil {
		var zero S
		return zero, 0, err
	}
	return s, v, nil
}
