package httpapi

import (
	"context"

	"github.com/google/uuid"

	"ledgerdesk/commands/authz"
)

// request is what the middlewares learn about a request, for the operations below them.
type request struct {
	correlationID uuid.UUID
	actor         authz.Actor
	authenticated bool
	viaSession    bool
	sessionSecret string
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
