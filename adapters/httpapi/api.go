package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path"
	"reflect"
	"strings"
	"time"

	"ledgerdesk/adapters/clientip"

	"ledgerdesk/projector"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"ledgerdesk/app"
	"ledgerdesk/app/authz"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/eventstore"
)

// Config is what the API runs on.
type Config struct {
	// App is the application layer every operation goes through.
	App   *app.App
	DB    *pgxpool.Pool
	Store eventstore.Store
	// Projections are the read models whose lag /readyz and /metrics report.
	Projections []string
	// MaxReadyLag is the lag (events) past which /readyz says not ready; 0 means never.
	MaxReadyLag int64
	Logger      *slog.Logger
	// Now is the clock commands are stamped with; nil means time.Now.
	Now func() time.Time
	// Login checks a password sign-in for the session endpoint; nil leaves only token
	// sign-in. The subject it returns is the support account whose password it checked
	// (support_credentials): a session it starts ends when that password changes.
	// PasswordReset starts a reset; nil leaves the endpoint out.
	Login         Authenticator
	PasswordReset func(ctx context.Context, email, ip string) error
	Limits        Limits
	// InsecureCookies drops the Secure flag on the session cookie (plain-HTTP local runs).
	InsecureCookies bool
	SessionTTL      time.Duration
	// TrustedOrigins may send cookie-authenticated state changes besides the API's own
	// origin, e.g. "https://support.example.org" for a web front end on another host.
	// Each is scheme://host[:port].
	TrustedOrigins []string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names the client
	// (networks or addresses); with none, the peer is the client.
	TrustedProxies []string
	// Registry receives the metrics; nil makes a fresh one.
	Registry *prometheus.Registry
	// SeparateOps takes /readyz and /metrics off Handler: they are served, to anyone,
	// by OpsHandler, for a listen address only operators reach. Left false, Handler
	// serves them to a caller whose role may read projection status (it_support,
	// auditor, admin) and answers anyone else 401 or 403. /healthz is open on both.
	SeparateOps bool
	// IdempotencyWait is how long a repeat of a request still running (same
	// Idempotency-Key) waits for its response before a 409 in-progress; 0 means 10 s.
	IdempotencyWait time.Duration
	// PaymentWebhookSecret is the payment provider's signing secret (Stripe-style
	// webhooks); with it, POST /api/v1/payment-provider/notifications records the
	// payments the provider confirms. Unset, the endpoint is absent.
	PaymentWebhookSecret []byte
	// PaymentNotifications, when set, verifies notifications instead of a verifier built
	// on PaymentWebhookSecret (another provider, or several secrets during a rotation).
	PaymentNotifications app.PaymentNotifications
}

// Authenticator checks a password sign-in and says who it is.
type Authenticator func(ctx context.Context, email, password, code, ip string) (subject string, role string, err error)

// API is the HTTP API.
type API struct {
	cfg        Config
	log        *slog.Logger
	now        func() time.Time
	huma       huma.API
	handler    http.Handler
	ops        http.Handler
	metrics    *metrics
	principals principals
	// origins is the cross-site check on cookie-authenticated state changes.
	origins *http.CrossOriginProtection
	limits  struct{ loginAccount, loginIP, reset, ticket *limiter }
	clients clientip.Resolver
}

// New builds the API.
func New(cfg Config) (*API, error) {
	if cfg.App == nil || cfg.DB == nil || cfg.Store == nil {
		return nil, errors.New("httpapi: Config needs App, DB and Store")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.Limits == (Limits{}) {
		cfg.Limits = DefaultLimits()
	}
	if cfg.Registry == nil {
		cfg.Registry = prometheus.NewRegistry()
	}
	if cfg.IdempotencyWait <= 0 {
		cfg.IdempotencyWait = 10 * time.Second
	}
	useProblems()
	a := &API{cfg: cfg, log: cfg.Logger, now: cfg.Now, principals: principals{db: cfg.DB, now: cfg.Now}}
	a.origins = http.NewCrossOriginProtection()
	clients, err := clientip.New(cfg.TrustedProxies)
	if err != nil {
		return nil, fmt.Errorf("httpapi: TrustedProxies: %w", err)
	}
	a.clients = clients
	for _, o := range cfg.TrustedOrigins {
		if err := a.origins.AddTrustedOrigin(o); err != nil {
			return nil, fmt.Errorf("httpapi: TrustedOrigins: %w", err)
		}
	}
	a.limits.loginAccount = newLimiter(cfg.Limits.Login, cfg.Now)
	a.limits.loginIP = newLimiter(cfg.Limits.Login, cfg.Now)
	a.limits.reset = newLimiter(cfg.Limits.PasswordReset, cfg.Now)
	a.limits.ticket = newLimiter(cfg.Limits.TicketCreate, cfg.Now)
	a.metrics = newMetrics(cfg.Registry, a.projectionStatus, cfg.Logger)

	mux := http.NewServeMux()
	hc := huma.DefaultConfig("ledgerdesk API", "1.0.0")
	hc.OpenAPIPath = "/api/v1/openapi"
	// The reference page is the web site's (web.Site, from OpenAPI()): huma's loads its
	// renderer from a CDN, which leaves it blank offline.
	hc.DocsPath = ""
	hc.SchemasPath = "/api/v1/schemas"
	hc.CreateHooks = nil // no $schema links in bodies: clients get plain documents
	hc.Info.Description = "The back office of an online psychiatry practice: appointments, invoices, clinicians' pending payments, payouts, V1 reconciliation, support tickets. Errors are RFC 9457 problem details; every command accepts Idempotency-Key and If-Match."
	hc.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"token":   {Type: "http", Scheme: "bearer", Description: "An API token from `ledgerdesk tokens create`."},
		"session": {Type: "apiKey", In: "cookie", Name: SessionCookie, Description: "A web session from POST /api/v1/sessions."},
	}
	hc.Security = []map[string][]string{{"token": {}}, {"session": {}}}
	hc.Components.Schemas = huma.NewMapRegistry("#/components/schemas/", schemaName)
	api := humago.New(mux, hc)
	reg := api.OpenAPI().Components.Schemas
	reg.RegisterTypeAlias(reflect.TypeFor[money.Amount](), reflect.TypeFor[moneyString]())
	reg.RegisterTypeAlias(reflect.TypeFor[ledger.Date](), reflect.TypeFor[dateString]())
	api.UseMiddleware(func(ctx huma.Context, next func(huma.Context)) {
		requestOf(ctx.Context()).route = ctx.Operation().Path
		next(ctx)
	})
	a.huma = api
	api.UseMiddleware(a.refuseUnstorableParams)
	a.registerSessions()
	if a.cfg.App.HasSupport() {
		a.registerSignUp()
	}
	a.registerAppointments()
	a.registerInvoices()
	a.registerPayments()
	a.registerPayee()
	a.registerV1()
	a.registerTickets()
	a.registerStaff()
	a.registerBlockedIP()
	a.registerOperations()
	if v, err := notifications(cfg); err != nil {
		return nil, err
	} else if v != nil {
		a.registerPaymentProvider(v)
	}

	healthz := func(w http.ResponseWriter, r *http.Request) {
		requestOf(r.Context()).route = "/healthz"
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	}
	mux.HandleFunc("GET /healthz", healthz)
	metricsHandler := promhttp.HandlerFor(cfg.Registry, promhttp.HandlerOpts{})
	if !cfg.SeparateOps {
		mux.Handle("GET /readyz", operatorsOnly(http.HandlerFunc(a.readyz)))
		mux.Handle("GET /metrics", operatorsOnly(metricsHandler))
	}
	a.handler = a.observe(a.authenticate(refuseNonText(idempotency{db: cfg.DB, wait: cfg.IdempotencyWait}.middleware(mux))))

	ops := http.NewServeMux()
	ops.HandleFunc("GET /healthz", healthz)
	ops.HandleFunc("GET /readyz", a.readyz)
	ops.Handle("GET /metrics", metricsHandler)
	a.ops = a.observe(ops)
	return a, nil
}

// Handler serves /api/v1 and /healthz, and /readyz and /metrics to operators unless
// Config.SeparateOps moved them to OpsHandler.
func (a *API) Handler() http.Handler { return a.handler }

// OpsHandler serves /healthz, /readyz and /metrics with no authentication, for a
// listen address of its own that only operators and the orchestrator reach.
func (a *API) OpsHandler() http.Handler { return a.ops }

// operatorsOnly lets through a caller whose role may read projection status: what
// /readyz and /metrics show is lag, parked events, routes and process internals.
func operatorsOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rq := requestOf(r.Context())
		switch {
		case !rq.authenticated:
			writeProblem(w, problemFor(authz.ErrUnauthenticated))
		case !app.Allowed(rq.actor.Role, "projections.read"):
			writeProblem(w, newProblem(http.StatusForbidden, TypeForbidden, "operators only: a token whose role may read projection status"))
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// OpenAPI is the generated document, as served at /api/v1/openapi.json.
func (a *API) OpenAPI() *huma.OpenAPI { return a.huma.OpenAPI() }

// schemaName prefixes other packages' types with their package, since several read
// models have an Item or a Row of their own.
func schemaName(t reflect.Type, hint string) string {
	name := huma.DefaultSchemaNamer(t, hint)
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	pkg := t.PkgPath()
	if t.Name() == "" || pkg == "" || path.Base(pkg) == "httpapi" {
		return name
	}
	// Two path elements: commands/payouts and projections/payouts both have a Line.
	prefix := ""
	for _, part := range strings.Split(pkg, "/")[max(0, strings.Count(pkg, "/")-1):] {
		prefix += strings.ToUpper(part[:1]) + part[1:]
	}
	return prefix + name
}

// moneyString and dateString are how money and civil dates look in JSON.
type moneyString string

func (moneyString) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{Type: "string", Pattern: `^-?[0-9]+\.[0-9]{2}$`, Description: "GBP, exact, two decimal places", Examples: []any{"250.00"}}
}

type dateString string

func (dateString) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{Type: "string", Format: "date", Description: "civil date (Europe/London)"}
}

func (a *API) projectionStatus(ctx context.Context) ([]projector.Status, error) {
	return projector.StatusOf(ctx, a.cfg.DB, a.cfg.Store, a.cfg.Projections)
}

// readyz is ready when the database answers and no projection lags past MaxReadyLag.
func (a *API) readyz(w http.ResponseWriter, r *http.Request) {
	requestOf(r.Context()).route = "/readyz"
	st, err := a.projectionStatus(r.Context())
	if err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "unavailable", "error": "database unavailable"})
		a.log.WarnContext(r.Context(), "readyz", "err", err)
		return
	}
	type lag struct {
		Name   string `json:"name"`
		Lag    int64  `json:"lag"`
		Parked int64  `json:"parked"`
	}
	out := make([]lag, 0, len(st))
	ready := true
	for _, s := range st {
		out = append(out, lag{s.Name, s.Lag, s.Parked})
		if a.cfg.MaxReadyLag > 0 && s.Lag > a.cfg.MaxReadyLag {
			ready = false
		}
	}
	status, code := "ready", http.StatusOK
	if !ready {
		status, code = "lagging", http.StatusServiceUnavailable
	}
	writeJSON(w, code, map[string]any{"status": status, "projections": out})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
