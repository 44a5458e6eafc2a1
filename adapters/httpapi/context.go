package httpapi

import (
	"context"

	"github.com/google/uuid"

	"ledgerdesk/app"
	"ledgerdesk/app/authz"
	"ledgerdesk/commands"
)

// request is what the middlewares learn about a request, for the operations below them.
type request struct {
	correlationID uuid.UUID
	actor         authz.Actor
	authenticated bool
	viaSession    bool
	sessionSecret string
	// token is the API token the request came with, if it came with one.
	token tokenRef
	// commandID is fixed by the Idempotency-Key when there is one.
	commandID uuid.UUID
	// route is the operation's path template, set once huma has routed the request.
	route string
	ip    string
}

type requestKey struct{}

func withRequest(ctx context.Context, r *request) context.Context {
	return context.WithValue(ctx, requestKey{}, r)
}

func requestOf(ctx context.Context) *request {
	if r, ok := ctx.Value(requestKey{}).(*request); ok {
		return r
	}
	return &request{}
}

// actorOf is the authenticated actor, or an error that reads as 401.
func actorOf(ctx context.Context) (authz.Actor, error) {
	r := requestOf(ctx)
	if !r.authenticated {
		return authz.Actor{}, problemFor(authz.ErrUnauthenticated)
	}
	return r.actor, nil
}

// call is the signed-in caller as the application layer takes it: the actor, the door,
// the command id an Idempotency-Key fixed, the request's correlation id, and If-Match.
func callOf(ctx context.Context, ifMatch *uint64) (app.Call, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return app.Call{}, err
	}
	r := requestOf(ctx)
	// The id is settled here, not left to the application layer, so the answer can quote it.
	id := r.commandID
	if id == uuid.Nil {
		id = commands.NewCommandID()
	}
	return app.Call{Actor: actor, Door: app.HTTP, CommandID: id, CorrelationID: r.correlationID, IfMatch: ifMatch}, nil
}
