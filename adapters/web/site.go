package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"ledgerdesk/adapters/clientip"

	"ledgerdesk/app"
	"ledgerdesk/app/authz"
	"ledgerdesk/commands/support"
	"ledgerdesk/domain/account"
)

// Sessions is the sign-in session store the web shares with the API
// (httpapi.API.WebSessions): the cookie's name, and sessions looked up, started and ended.
type Sessions interface {
	CookieName() string
	// Lookup resolves a cookie's value; an unknown or expired one is an error.
	Lookup(ctx context.Context, secret string) (authz.Actor, error)
	// Start opens a session and returns the cookie to set.
	Start(ctx context.Context, actor authz.Actor) (*http.Cookie, error)
	// End revokes a session and returns the cookie that clears it.
	End(ctx context.Context, secret string) (*http.Cookie, error)
}

// SignInLimiter takes one attempt from the address's and the account's budgets.
type SignInLimiter interface {
	AllowSignIn(ip, email string) (ok bool, wait time.Duration)
}

// Accounts checks a password sign-in and says what the account is. The application layer
// has no operation for sign-in (it acts for someone already known), so the web calls the
// support service for it; *support.Service satisfies this.
type Accounts interface {
	Authenticate(ctx context.Context, l support.Login) (string, error)
	Account(ctx context.Context, accountID string) (account.State, error)
}

// Config is what the site runs on.
type Config struct {
	// App is the application layer every page's data and every form goes through.
	App *app.App
	// Sessions is the API's session store (httpapi.API.WebSessions()).
	Sessions Sessions
	// Accounts checks sign-ins: the support service.
	Accounts Accounts
	// SignInLimits, when set, rate-limits sign-in attempts (the API's limiter, shared).
	SignInLimits SignInLimiter
	// DevMailbox, in demo mode only, lists the mail the site wrote to its directory at
	// /dev/mail; nil (everywhere else) leaves the page out.
	DevMailbox DevMailbox
	// ResetLimits, when set, rate-limits password-reset requests (the API's, shared).
	ResetLimits ResetLimiter
	Logger      *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names the client
	// (networks or addresses); with none, the peer is the client.
	TrustedProxies []string
	// APIReference is the API's OpenAPI document (JSON), rendered at /api/v1/docs.
	APIReference []byte
	// Fresh is how long My tickets waits for a ticket just opened to reach the read
	// model before showing the list without it; 0 means 2 s.
	Fresh time.Duration
	// StaffRefresh is how often the staff queue refreshes itself (htmx polling); 0 means 15 s.
	StaffRefresh time.Duration
}

// Site is the web door.
type Site struct {
	cfg    Config
	log    *slog.Logger
	pages  *pages
	apiRef *apiRefView
	// The reference page as rendered for a visitor [0] and for someone signed in [1].
	apiRefOnce [2]sync.Once
	apiRefPage [2][]byte
	clients    clientip.Resolver
	handler    http.Handler
}

// New checks cfg and parses the templates.
func New(cfg Config) (*Site, error) {
	if cfg.App == nil || cfg.Sessions == nil || cfg.Accounts == nil {
		return nil, errors.New("web: Config needs App, Sessions and Accounts")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Fresh <= 0 {
		cfg.Fresh = 2 * time.Second
	}
	p, err := parsePages()
	if err != nil {
		return nil, err
	}
	s := &Site{cfg: cfg, log: cfg.Logger, pages: p}
	if s.clients, err = clientip.New(cfg.TrustedProxies); err != nil {
		return nil, fmt.Errorf("web: TrustedProxies: %w", err)
	}
	if cfg.APIReference != nil {
		if s.apiRef, err = buildAPIReference(cfg.APIReference); err != nil {
			return nil, err
		}
	}
	s.handler = s.routes()
	return s, nil
}

// Handler serves the pages and their assets; mount it at "/".
func (s *Site) Handler() http.Handler { return s.handler }

// Mount serves api for its own paths (/api/, /healthz, /readyz, /metrics) and the site
// for everything else: the one handler `serve` listens with.
func (s *Site) Mount(api http.Handler) http.Handler {
	mux := http.NewServeMux()
	for _, p := range []string{"/api/", "/healthz", "/readyz", "/metrics"} {
		mux.Handle(p, api)
	}
	mux.Handle("GET /api/v1/docs", s.handler)
	mux.Handle("/", s.handler)
	return mux
}
