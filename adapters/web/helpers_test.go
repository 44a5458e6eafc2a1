package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/adapters/attachmentstore"
	"ledgerdesk/adapters/helparticles"
	"ledgerdesk/adapters/httpapi"
	"ledgerdesk/adapters/mail"
	"ledgerdesk/adapters/mail/mailtest"
	"ledgerdesk/adapters/postgres"
	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/app"
	"ledgerdesk/app/authz"
	"ledgerdesk/codec"
	"ledgerdesk/commands"
	"ledgerdesk/commands/support"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/decider"
	"ledgerdesk/domain/ticket"
	mailpolicy "ledgerdesk/policies/mail"
	"ledgerdesk/projections"
	psupport "ledgerdesk/projections/support"
	"ledgerdesk/projector"
)

// env is the site and the API as `serve` mounts them, on a fresh database with the
// support read model projecting, and a support-site account to sign in with.
type env struct {
	t    testing.TB
	srv  *httptest.Server
	pool *pgxpool.Pool
	svc  *support.Service
	site *Site
	// mail is the SMTP server the mail sender delivers to, as serve's would.
	mail *mailtest.Server
	// logs is everything the application layer and the site logged, at debug level.
	logs *syncBuffer
	// clock is the support service's clock: real time, moved on by tests that need days to pass.
	clock *shiftClock
}

// shiftClock is the real time plus an offset a test may move on.
type shiftClock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *shiftClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.off)
}

func (c *shiftClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.off += d
}

// The fixture's requester.
const (
	testEmail    = "jo.bloggs@example.co.uk"
	testPassword = "correct horse battery staple"
)

func widen[E decider.Event](es []E) []decider.Event {
	out := make([]decider.Event, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

func newEnv(t testing.TB) *env { return newEnvWith(t, nil, nil) }

// newEnvWith is newEnv with the API's and the site's configuration adjusted.
func newEnvWith(t testing.TB, apiTweak func(*httpapi.Config), siteTweak func(*Config)) *env {
	t.Helper()
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	store := postgres.New(pool, postgres.Config{PollInterval: 10 * time.Millisecond})
	keys, err := postgres.NewKeyStore(pool, postgres.KeyStoreConfig{})
	if err != nil {
		t.Fatal(err)
	}
	var types []decider.Event
	types = append(types, widen(account.EventTypes())...)
	types = append(types, widen(ticket.EventTypes())...)
	types = append(types, commands.EventTypes()...)
	c, err := codec.New(keys, types...)
	if err != nil {
		t.Fatal(err)
	}
	deps := commands.Deps{Store: store, Codec: c}
	runner, err := projector.NewRunner(ctx, projector.Config{Store: store, DB: pool, Projections: []projections.Projection{psupport.NewTickets(c), psupport.NewAccounts(c), mailpolicy.NewOutbox()}})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done, sent := make(chan struct{}), make(chan struct{})
	go func() { defer close(done); _ = runner.Run(runCtx) }()
	t.Cleanup(func() { cancel(); <-done; <-sent })

	key := make([]byte, 32)
	key[0] = 7
	files, err := attachmentstore.New(pool, attachmentstore.Config{MasterKey: key})
	if err != nil {
		t.Fatal(err)
	}
	clock := &shiftClock{}
	svc, err := support.New(support.Config{Deps: deps, DB: pool, Attachments: files, SecretKey: key, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	articles, err := helparticles.Starter()
	if err != nil {
		t.Fatal(err)
	}
	help := helparticles.New(pool)
	if err := help.Sync(ctx, articles); err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	application, err := app.New(app.Config{Commands: deps, DB: pool, Support: svc, Help: help, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	mailServer := mailtest.Start(t, mailtest.Options{})
	transport, err := mail.NewSMTP(mail.SMTPConfig{Host: mailServer.Host, Port: mailServer.Port, TLS: mail.NoTLS, From: "Support Centre <support@practice.example>"})
	if err != nil {
		t.Fatal(err)
	}
	apiCfg := httpapi.Config{App: application, DB: pool, Store: store, InsecureCookies: true}
	if apiTweak != nil {
		apiTweak(&apiCfg)
	}
	api, err := httpapi.New(apiCfg)
	if err != nil {
		t.Fatal(err)
	}
	sessions := api.WebSessions()
	reference, err := json.Marshal(api.OpenAPI())
	if err != nil {
		t.Fatal(err)
	}
	siteCfg := Config{App: application, Sessions: sessions, Accounts: svc, SignInLimits: sessions, ResetLimits: sessions, Logger: logger, APIReference: reference, Now: clock.Now}
	if siteTweak != nil {
		siteTweak(&siteCfg)
	}
	site, err := New(siteCfg)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, pool: pool, svc: svc, site: site, mail: mailServer, logs: logs, clock: clock}
	e.srv = httptest.NewServer(site.Mount(api.Handler()))
	t.Cleanup(e.srv.Close)
	sender, err := mailpolicy.NewSender(mailpolicy.SenderConfig{App: application, DB: pool, Transport: transport, SiteURL: e.srv.URL, Poll: 20 * time.Millisecond, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	go func() { defer close(sent); _ = sender.Run(runCtx) }()
	if _, err := svc.Register(ctx, support.Registration{Realm: account.RealmSupport, Role: account.RoleRequester,
		Email: testEmail, Name: "Jo Bloggs", Password: testPassword}, commands.Metadata{CommandID: commands.NewCommandID()}); err != nil {
		t.Fatalf("registering the requester: %v", err)
	}
	return e
}

// events counts the events in the store: what a refused form must not change.
func (e *env) events() int {
	e.t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM events`).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// client is a plain HTTP client with a cookie jar that does not follow redirects.
func (e *env) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// resetLinkPattern finds the link in a password reset email.
var resetLinkPattern = regexp.MustCompile(`https?://[^/\s]+/password/reset/[^/\s]+/[A-Za-z0-9_-]+`)

// mailedLink waits for the n-th email the mail server receives and returns the reset link in it.
func (e *env) mailedLink(t testing.TB, n int) string {
	t.Helper()
	got := e.mail.WaitFor(t, n)
	m := got[n-1]
	if len(m.To) != 1 || m.To[0] != testEmail {
		t.Fatalf("the email went to %v, want %s", m.To, testEmail)
	}
	link := resetLinkPattern.FindString(m.Text())
	if link == "" {
		t.Fatalf("no reset link in the email:\n%s", m.Text())
	}
	return link
}

// agentToken registers a support agent and returns an API token that acts as them: the
// agent's side of a test works through the API, as a real agent's tools would.
func (e *env) agentToken(t testing.TB) (accountID, token string) {
	t.Helper()
	ctx := context.Background()
	id, err := e.svc.Register(ctx, support.Registration{Realm: account.RealmSupport, Role: account.RoleAgent,
		Email: "agent@practice.example", Name: "Sam Agent"}, commands.Metadata{CommandID: commands.NewCommandID()})
	if err != nil {
		t.Fatalf("registering the agent: %v", err)
	}
	tok, err := httpapi.CreateToken(ctx, e.pool, e.svc, authz.Actor{Role: authz.SupportAgent, Subject: id}, "test agent", 0)
	if err != nil {
		t.Fatal(err)
	}
	return id, tok.Secret
}

// api sends a JSON request to the API with a bearer token and fails the test unless it
// answers 2xx.
func (e *env) api(t testing.TB, token, method, path, body string) string {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode/100 != 2 {
		t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, b)
	}
	return string(b)
}
