package app

import (
	"time"

	"github.com/google/uuid"

	"ledgerdesk/app/authz"
	"ledgerdesk/commands"
)

// Door names how a call came in; metrics and logs carry it.
type Door string

const (
	HTTP   Door = "http"
	CLI    Door = "cli"
	Web    Door = "web"
	Policy Door = "policy"
)

// Call is who is asking, through which door, and the ids that tie the request to what it
// causes. The zero ids are filled in: a new command id, and a correlation and causation
// id equal to it.
type Call struct {
	Actor authz.Actor
	Door  Door
	// CommandID is fixed by the caller when a retry must be recognised (an HTTP
	// Idempotency-Key, a policy's id derived from the event it reacts to).
	CommandID     uuid.UUID
	CorrelationID uuid.UUID
	CausationID   uuid.UUID
	// IfMatch, when set, is the stream version the caller saw: an aggregate command is
	// refused with a *VersionMismatchError if the stream has moved on.
	IfMatch *uint64
}

// Request is a call as an operation's handler sees it: with its ids settled, the
// metadata its events will carry, and the clock.
type Request struct {
	Call
	Spec Spec
	// Meta is the metadata for the events the operation appends: the ids above and the
	// actor's subject as the actor.
	Meta commands.Metadata
	Now  time.Time

	checked bool
}

// Authorize checks the actor against the operation's rule for res, whose record it is.
// Every operation whose rule is scoped for the actor's role must call it before it
// returns; one that does not fails closed.
func (r *Request) Authorize(res authz.Resource) error {
	r.checked = true
	return r.Spec.Rule.Check(r.Actor, r.Spec.Action, res)
}

// Scope is how far the actor's permission for this operation reaches.
func (r *Request) Scope() authz.Scope { return r.Spec.Rule[r.Actor.Role] }

// Scoped says whether the actor's permission depends on whose record it is.
func (r *Request) Scoped() bool { return r.Spec.Rule.Scoped(r.Actor.Role) }

// Meta is the metadata a command started outside the application layer would carry for
// this call (a command id, fresh unless fixed); it is what the decorators compute.
func (c Call) meta() commands.Metadata {
	m := commands.Metadata{CommandID: c.CommandID, CorrelationID: c.CorrelationID, CausationID: c.CausationID, Actor: c.Actor.Subject}
	if m.CommandID == uuid.Nil {
		m.CommandID = commands.NewCommandID()
	}
	if m.CorrelationID == uuid.Nil {
		m.CorrelationID = m.CommandID
	}
	if m.CausationID == uuid.Nil {
		m.CausationID = m.CommandID
	}
	return m
}
