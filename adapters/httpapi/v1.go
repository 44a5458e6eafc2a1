package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"ledgerdesk/projections/v1recon"
)

// V1TickResult is what a tick (or its undoing) recorded. Ticks are not versioned for
// clients: the item refuses a second tick or an undo with nothing to undo, which is the
// conflict If-Match would otherwise catch, so only Idempotency-Key applies.
type V1TickResult struct {
	Reference     string    `json:"reference"`
	Event         string    `json:"event" doc:"Type of the event recorded"`
	By            string    `json:"by"`
	At            time.Time `json:"at"`
	Note          string    `json:"note,omitempty"`
	Reason        string    `json:"reason,omitempty"`
	CommandID     string    `json:"command_id"`
	CorrelationID string    `json:"correlation_id"`
}

// IdempotencyHeader is the header of commands that take no If-Match.
type IdempotencyHeader struct {
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"255" doc:"Repeat a request with the same key and body to get the first response again; the same key with a different body is refused (422)"`
}

func (a *API) registerV1() {
	const tag = "v1-reconciliation"
	type tickInput struct {
		IdempotencyHeader
		Ref  string `path:"ref" maxLength:"200" doc:"The item's V1 reference"`
		Body struct {
			Note string `json:"note,omitempty" maxLength:"2000"`
		}
	}
	type undoInput struct {
		IdempotencyHeader
		Ref  string `path:"ref" maxLength:"200" doc:"The item's V1 reference"`
		Body struct {
			Reason string `json:"reason" minLength:"1" maxLength:"2000" doc:"Why the tick was wrong: an auditor will ask"`
		}
	}
	type tickOutput struct{ Body V1TickResult }
	huma.Register(a.huma, op(http.MethodPost, "/api/v1/v1/items/{ref}/tick-off", "tick-off-v1-item",
		"Tick off a V1 item as settled (accounts department only)", tag, http.StatusOK),
		func(ctx context.Context, in *tickInput) (*tickOutput, error) {
			call, err := callOf(ctx, nil)
			if err != nil {
				return nil, err
			}
			meta := call
			ev, err := a.cfg.App.TickOffV1(ctx, call, in.Ref, in.Body.Note, a.now())
			if err != nil {
				return nil, a.queryError(ctx, err)
			}
			return &tickOutput{Body: V1TickResult{Reference: ev.Reference, Event: ev.EventType(), By: ev.By, At: ev.At, Note: ev.Note,
				CommandID: meta.CommandID.String(), CorrelationID: meta.CorrelationID.String()}}, nil
		})
	huma.Register(a.huma, op(http.MethodPost, "/api/v1/v1/items/{ref}/undo-tick-off", "undo-v1-tick-off",
		"Withdraw a tick made in error (accounts department only)", tag, http.StatusOK),
		func(ctx context.Context, in *undoInput) (*tickOutput, error) {
			call, err := callOf(ctx, nil)
			if err != nil {
				return nil, err
			}
			meta := call
			ev, err := a.cfg.App.UndoV1TickOff(ctx, call, in.Ref, in.Body.Reason, a.now())
			if err != nil {
				return nil, a.queryError(ctx, err)
			}
			return &tickOutput{Body: V1TickResult{Reference: ev.Reference, Event: ev.EventType(), By: ev.By, At: ev.At, Reason: ev.Reason,
				CommandID: meta.CommandID.String(), CorrelationID: meta.CorrelationID.String()}}, nil
		})

	type reportOutput struct{ Body v1recon.Report }
	huma.Register(a.huma, op(http.MethodGet, "/api/v1/v1/report", "v1-reconciliation-report",
		"The V1 reconciliation: totals per clinician, outstanding items, conflicting imports, V1/V2 overlaps", tag, http.StatusOK),
		func(ctx context.Context, _ *struct{}) (*reportOutput, error) {
			call, err := callOf(ctx, nil)
			if err != nil {
				return nil, err
			}
			r, err := a.cfg.App.V1Reconciliation(ctx, call)
			if err != nil {
				return nil, a.queryError(ctx, err)
			}
			return &reportOutput{Body: r}, nil
		})
}
