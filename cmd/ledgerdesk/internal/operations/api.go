package main

import (
	"fmt"
	"net/http"

	"github.com/spf13/cobra"

	"ledgerdesk/adapters/httpapi"
	"ledgerdesk/projections"
)

// httpHandler serves the API under /api/v1 and the operational endpoints (/healthz,
// /readyz with projection lag, /metrics). LEDGERDESK_INSECURE_COOKIES=1 drops the Secure
// flag on session cookies for plain-HTTP local runs.
func httpHandler(d *deps, models []projections.Projection) (http.Handler, error) {
	for _, p := range models {
		d.projectionNames = append(d.projectionNames, p.Name())
	}
	application, err := d.application()
	if err != nil {
		return nil, err
	}
	api, err := httpapi.New(httpapi.Config{
		App: application, DB: d.db, Store: d.store, Projections: d.projectionNames, Logger: d.log, Registry: d.registry,
		InsecureCookies: d.cfg.InsecureCookies,
	})
	if err != nil {
		return nil, fmt.Errorf("building the HTTP API: %w", err)
	}
	return api.Handler(), nil
}

// apiCommands are the API's subcommands (tokens).
func apiCommands() []*cobra.Command { return []*cobra.Command{tokensCommand()} }
