package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"
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

// runCommand runs an aggregate command through the application layer for the signed-in
// caller and shapes the answer; id is the record the command acts on.
func (a *API) runCommand(ctx context.Context, id string, h CommandHeaders, cmd any) (*commandOutput, error) {
	expect, err := ifMatch(h.IfMatch)
	if err != nil {
		return nil, err
	}
	call, err := callOf(ctx, expect)
	if err != nil {
		return nil, err
	}
	res, err := a.cfg.App.Execute(ctx, call, cmd)
	if err != nil {
		return nil, a.queryError(ctx, err)
	}
	return &commandOutput{ETag: etag(res.Version), Body: CommandResult{
		ID: id, Stream: res.Stream, Version: res.Version, Events: res.EventTypes(),
		Replayed: res.Replayed, CommandID: res.CommandID.String(), CorrelationID: res.CorrelationID.String(),
	}}, nil
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
	o.Errors = []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity, http.StatusServiceUnavailable}
	return o
}
