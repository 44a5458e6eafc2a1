package main

import (
	"net/http"
	"os"

	"github.com/spf13/cobra"

	"ledgerdesk/adapters/httpapi"
	"ledgerdesk/commands"
	"ledgerdesk/projections"
)

// httpHandler serves the API under /api/v1 and the operational endpoints (/healthz,
// /readyz with projection lag, /metrics). LEDGERDESK_INSECURE_COOKIES=1 drops the Secure
// flag on session cookies for plain-HTTP local runs.
func httpHandler(d *deps, cmds commands.Deps, models []projections.Projection) http.Handler {
	names := make([]string, 0, len(models))
	for _, p := range models {
		names = append(names, p.Name())
	}
	// The ticket endpoints act for support-site accounts: a token's subject is the
	// support account id of its holder. Without the support service they are left out.
	svc, err := supportService(d, cmds, nil)
	if err != nil {
		d.log.Error("building the support service for the HTTP API; ticket endpoints are off", "err", err)
		svc = nil
	}
	api, err := httpapi.New(httpapi.Config{
		DB: d.db, Store: d.store, Commands: cmds, Projections: names, Logger: d.log,
		InsecureCookies: os.Getenv("LEDGERDESK_INSECURE_COOKIES") == "1",
		Support:         svc,
	})
	if err != nil {
		d.log.Error("building the HTTP API", "err", err)
		return http.NotFoundHandler()
	}
	return api.Handler()
}

// apiCommands are the API's subcommands (tokens).
func apiCommands() []*cobra.Command { return []*cobra.Command{tokensCommand()} }
