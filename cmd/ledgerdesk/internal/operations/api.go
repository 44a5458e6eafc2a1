package operations

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"ledgerdesk/adapters/helparticles"

	"github.com/spf13/cobra"

	"ledgerdesk/adapters/httpapi"
	"ledgerdesk/adapters/web"
	"ledgerdesk/app"
	"ledgerdesk/app/authz"
	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
	"ledgerdesk/commands/support"
	"ledgerdesk/domain/account"
	"ledgerdesk/projections"
)

// Handlers are what serve listens with: the site (the support centre's pages at /, the
// API under /api/v1), and, when LEDGERDESK_OPS_ADDR is set, the operational endpoints
// (/healthz, /readyz, /metrics) for that address. Without it, the site serves them too,
// /readyz and /metrics to operators' tokens only.
type Handlers struct {
	Site http.Handler
	Ops  http.Handler
}

// HTTPHandlers builds the API and the web pages on the one application layer.
func HTTPHandlers(ctx context.Context, d *wiring.Runtime, models []projections.Projection) (Handlers, error) {
	var names []string
	for _, p := range models {
		names = append(names, p.Name())
	}
	application, err := d.App()
	if err != nil {
		return Handlers{}, err
	}
	svc, err := d.SupportService()
	if err != nil {
		return Handlers{}, err
	}
	// The help articles that ship in the binary are what the site serves.
	articles, err := helparticles.Starter()
	if err != nil {
		return Handlers{}, err
	}
	if err := helparticles.New(d.DB).Sync(ctx, articles); err != nil {
		return Handlers{}, fmt.Errorf("writing the help articles: %w", err)
	}
	api, err := httpapi.New(httpapi.Config{
		App: application, DB: d.DB, Store: d.Store, Projections: names, Logger: d.Log, Registry: wiring.Registry(),
		InsecureCookies:      d.Config.InsecureCookies,
		TrustedOrigins:       d.Config.TrustedOrigins,
		TrustedProxies:       d.Config.TrustedProxies,
		SeparateOps:          d.Config.OpsAddr != "",
		PaymentWebhookSecret: d.Config.PaymentWebhookSecret,
		Login:                passwordSignIn(svc),
		PasswordReset:        passwordReset(application),
	})
	if err != nil {
		return Handlers{}, fmt.Errorf("building the HTTP API: %w", err)
	}
	sessions := api.WebSessions()
	mailbox, err := d.DevMailbox()
	if err != nil {
		return Handlers{}, err
	}
	reference, err := json.Marshal(api.OpenAPI())
	if err != nil {
		return Handlers{}, fmt.Errorf("the API's OpenAPI document: %w", err)
	}
	site, err := web.New(web.Config{App: application, Sessions: sessions, Accounts: svc, SignInLimits: sessions, ResetLimits: sessions, DevMailbox: mailbox, Logger: d.Log,
		APIReference: reference, TrustedProxies: d.Config.TrustedProxies})
	if err != nil {
		return Handlers{}, fmt.Errorf("building the web pages: %w", err)
	}
	h := Handlers{Site: site.Mount(api.Handler())}
	if d.Config.OpsAddr != "" {
		h.Ops = api.OpsHandler()
	}
	return h, nil
}

// HTTPHandler is the site alone, for tests that serve it on one address.
func HTTPHandler(ctx context.Context, d *wiring.Runtime, models []projections.Projection) (http.Handler, error) {
	h, err := HTTPHandlers(ctx, d, models)
	return h.Site, err
}

// passwordSignIn lets POST /api/v1/sessions sign in with a support-site account's
// password (and authenticator code): the session's subject is the account, in the role
// its account holds there.
func passwordSignIn(svc *support.Service) httpapi.Authenticator {
	return func(ctx context.Context, email, password, code, ip string) (string, string, error) {
		id, err := svc.Authenticate(ctx, support.Login{Realm: account.RealmSupport, Email: email, Password: password, Code: code, IP: ip})
		if err != nil {
			return "", "", err
		}
		a, err := svc.Account(ctx, id)
		if err != nil {
			return "", "", err
		}
		role := authz.Patient
		if a.Role == account.RoleAgent {
			// A staff session needs two-factor, as the web's staff sign-in does.
			if err := support.CheckStaffSession(a); err != nil {
				return "", "", err
			}
			role = authz.SupportAgent
		}
		return id, string(role), nil
	}
}

// passwordReset lets POST /api/v1/password-resets ask for a reset link for a support-site
// account, as a visitor who has not signed in, through the application layer: the link is
// mailed by the mail policies.
func passwordReset(a *app.App) func(ctx context.Context, email, ip string) error {
	return func(ctx context.Context, email, _ string) error {
		return a.RequestPasswordReset(ctx, app.Call{Actor: authz.VisitorActor(), Door: app.HTTP}, account.RealmSupport, email)
	}
}

// APICommands are the API's subcommands (tokens).
func APICommands() []*cobra.Command { return []*cobra.Command{tokensCommand()} }
