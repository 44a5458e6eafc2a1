package operations

import (
	"fmt"
	"net/http"

	"github.com/spf13/cobra"

	"ledgerdesk/adapters/httpapi"
	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
	"ledgerdesk/projections"
)

// HTTPHandler serves the API under /api/v1 and the operational endpoints (/healthz,
// /readyz with projection lag, /metrics). LEDGERDESK_INSECURE_COOKIES=1 drops the Secure
// flag on session cookies for plain-HTTP local runs.
func HTTPHandler(d *wiring.Runtime, models []projections.Projection) (http.Handler, error) {
	var names []string
	for _, p := range models {
		names = append(names, p.Name())
	}
	application, err := d.App()
	if err != nil {
		return nil, err
	}
	api, err := httpapi.New(httpapi.Config{
		App: application, DB: d.DB, Store: d.Store, Projections: names, Logger: d.Log, Registry: wiring.Registry(),
		InsecureCookies: d.Config.InsecureCookies,
	})
	if err != nil {
		return nil, fmt.Errorf("building the HTTP API: %w", err)
	}
	return api.Handler(), nil
}

// APICommands are the API's subcommands (tokens).
func APICommands() []*cobra.Command { return []*cobra.Command{tokensCommand()} }
