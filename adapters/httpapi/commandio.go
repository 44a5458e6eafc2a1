package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"ledgerdesk/commands"
	"ledgerdesk/commands/authz"
	"ledgerdesk/domain/decider"
)

// CommandHeaders are what every command operation accepts.
type CommandHeaders struct {
	IfMatch        string `header:"If-Match" doc:"The record's version as last read (its ETag): the command is refused with 409 if it has changed since"`
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"255" doc:"Repeat a request with the same key and body to get the first response again; the same key with a different body is refused (422)"`
}

// CommandResult is what a command did.
type CommandResult struct {
	ID            string   `json:"id" doc:"The record the command acted on"`
	Stream        string   `json:"stream"`
	Version       uint64   `json:"version" doc:"The record's version after the command: send it as If-Match next time"`
	Events        []string `json:"events" doc:"Types of the events the command recorded"`
	Replayed      bool     `json:"replayed" doc:"The command had already been run: this is its recorded result"`
	CommandID     string   `json:"command_id"`
	CorrelationID string   `json:"correlation_id"`
}

type commandOutput struct {
	ETag string `header:"ETag"`
	Body CommandResult
}

// ifMatch reads If-Match: a version, quoted or not ("3", W/"3", 3).
func ifMatch(h string) (*uint64, error) {
	h = strings.TrimSpace(h)
	if h == "" {
		return nil, nil
	}
	h = strings.Trim(strings.TrimPrefix(h, "W/"), `"`)
	v, err := strconv.ParseUint(h, 10, 64)
	if err != nil {
		return nil, newProblem(http.StatusBadRequest, TypeValidation, fmt.Sprintf("If-Match: %q is not a record version (want the ETag, e.g. \"3\")", h))
	}
	return &v, nil
}

// metadata is the command metadata for this request: its command id (fixed by the
// Idempotency-Key when there is one) and its correlation id.
func metadata(ctx context.Context) commands.Metadata {
	rq := requestOf(ctx)
	id := rq.commandID
	if id == [16]byte{} {
		id = commands.NewCommandID()
	}
	return commands.Metadata{CommandID: id, CorrelationID: rq.correlationID, Actor: rq.actor.Subject}
}

// runCommand runs cmd through the guard for the signed-in actor and shapes the answer.
func runCommand[S, C any, E decider.Event](ctx context.Context, a *API, g authz.Guard[S, C, E], name, id string, h CommandHeaders, cmd C) (*commandOutput, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	expect, err := ifMatch(h.IfMatch)
	if err != nil {
		return nil, err
	}
	meta := metadata(ctx)
	res, err := g.Execute(ctx, a.cfg.Commands, actor, cmd, meta, authz.Options{IfMatch: expect})
	if err != nil {
		p := problemFor(err)
		a.metrics.command(name, p.Type[len(ProblemBase):])
		if p.Status >= 500 {
			a.log.ErrorContext(ctx, "command failed", "command", name, "err", err, "correlation_id", meta.CorrelationID.String())
		}
		return nil, p
	}
	outcome := "ok"
	if res.Replayed {
		outcome = "replayed"
	}
	a.metrics.command(name, outcome)
	out := &commandOutput{ETag: etag(res.Version), Body: CommandResult{
		ID: id, Stream: res.Stream, Version: res.Version, Events: make([]string, 0, len(res.Events)),
		Replayed: res.Replayed, CommandID: meta.CommandID.String(), CorrelationID: meta.CorrelationID.String(),
	}}
	for _, e := range res.Events {
		out.Body.Events = append(out.Body.Events, e.EventType())
	}
	return out, nil
}

// queryError shapes an error from a query, logging what a client must not see.
func (a *API) queryError(ctx context.Context, err error) error {
	p := problemFor(err)
	if p.Status >= 500 {
		a.log.ErrorContext(ctx, "query failed", "err", err, "correlation_id", requestOf(ctx).correlationID.String())
	}
	return p
}

// op describes an operation the usual way.
func op(method, path, id, summary, tag string, status int) huma.Operation {
	o := huma.Operation{OperationID: id, Method: method, Path: path, Summary: summary, Tags: []string{tag}, DefaultStatus: status}
	o.Errors = []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity}
	return o
}
