package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"ledgerdesk/policies/payments"

	"ledgerdesk/adapters/pain001"

	"ledgerdesk/projector"

	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/adapters/attachmentstore"
	"ledgerdesk/adapters/postgres"
	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/app"
	"ledgerdesk/app/authz"
	"ledgerdesk/codec"
	"ledgerdesk/commands"
	"ledgerdesk/commands/support"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/decider"
	"ledgerdesk/projections"
	"ledgerdesk/projections/appointments"
	pearnings "ledgerdesk/projections/earnings"
	"ledgerdesk/projections/invoices"
	ppayouts "ledgerdesk/projections/payouts"
	psupport "ledgerdesk/projections/support"
	"ledgerdesk/projections/v1recon"
)

// env is a real server on a fresh database, with projections running and one token per
// role. Every exchange through its client is recorded for the contract check.
type env struct {
	t      testing.TB
	api    *API
	srv    *httptest.Server
	pool   *pgxpool.Pool
	deps   commands.Deps
	svc    *support.Service
	tokens map[authz.Role]string
	mu     sync.Mutex
	seen   []exchange
}

type exchange struct {
	method, path string
	status       int
	contentType  string
	body         []byte
}

// subjectOf is the subject each role's token acts as: the patient is p1 and the clinician
// c1, who own the fixtures.
func subjectOf(r authz.Role) string {
	switch r {
	case authz.Patient:
		return "p1"
	case authz.Clinician:
		return "c1"
	}
	return string(r) + "-1"
}

func newEnv(t testing.TB, tweak func(*Config)) *env {
	t.Helper()
	return newEnvWithStore(t, postgres.Config{PollInterval: 10 * time.Millisecond}, 0, tweak)
}

// newEnvWithStore is newEnv with the event store tuned as storeCfg says and a pool of
// poolSize connections (0: pgxpool's default): the latency benchmark runs the store as
// production does, and polling only as its baseline, at the pool sizes it compares.
func newEnvWithStore(t testing.TB, storeCfg postgres.Config, poolSize int32, tweak func(*Config)) *env {
	t.Helper()
	ctx := context.Background()
	pcfg, err := pgxpool.ParseConfig(pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	if poolSize > 0 {
		pcfg.MaxConns = poolSize
	}
	if benchTracer != nil {
		pcfg.ConnConfig.Tracer = benchTracer
	}
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	store := postgres.New(pool, storeCfg)
	keys, err := postgres.NewKeyStore(pool, postgres.KeyStoreConfig{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := codec.New(keys, app.EventTypes()...)
	if err != nil {
		t.Fatal(err)
	}
	deps := commands.Deps{Store: store, Codec: c}
	svc := newSupport(t, pool, deps)
	names := []string{appointments.Name, invoices.Name, pearnings.Name, ppayouts.Name, v1recon.Name, psupport.TicketsName, psupport.AccountsName}
	application, err := app.New(app.Config{Commands: deps, DB: pool, Payouts: pearnings.Finder{Q: pool}, Bank: pain001.Writer{}, Support: svc,
		Projections: app.ProjectionsFunc(func(ctx context.Context) ([]app.ProjectionStatus, error) {
			st, err := projector.StatusOf(ctx, pool, store, names)
			out := make([]app.ProjectionStatus, len(st))
			for i, s := range st {
				out[i] = app.ProjectionStatus(s)
			}
			return out, err
		})})
	if err != nil {
		t.Fatal(err)
	}
	models := []projections.Projection{appointments.New(c), invoices.New(c), pearnings.New(c), ppayouts.New(c), v1recon.New(c), psupport.NewTickets(c), psupport.NewAccounts(c)}
	if benchPolicies {
		for _, p := range payments.All(application) {
			models = append(models, p)
		}
	}
	runner, err := projector.NewRunner(ctx, projector.Config{Store: store, DB: pool, Projections: models})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = runner.Run(runCtx) }()
	t.Cleanup(func() { cancel(); <-done })

	cfg := Config{App: application, DB: pool, Store: store, Projections: names}
	if tweak != nil {
		tweak(&cfg)
	}
	api, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, api: api, pool: pool, deps: deps, svc: svc, tokens: map[authz.Role]string{}}
	e.srv = httptest.NewServer(api.Handler())
	t.Cleanup(e.srv.Close)
	for _, r := range authz.Roles() {
		tok, err := CreateToken(ctx, pool, svc, authz.Actor{Role: r, Subject: subjectOf(r)}, "test", 0)
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[r] = tok.Secret
	}
	return e
}

// newSupport is the support service, with a support-site account for every role's
// subject: agents for the support roles, requesters for everyone else. Token subjects are
// support account ids (see tickets.go).
func newSupport(t testing.TB, pool *pgxpool.Pool, deps commands.Deps) *support.Service {
	t.Helper()
	key := make([]byte, 32)
	key[0] = 1 // any fixed key: nothing here is sealed that a test reads back
	files, err := attachmentstore.New(pool, attachmentstore.Config{MasterKey: key})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := support.New(support.Config{Deps: deps, DB: pool, Attachments: files, SecretKey: key})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range authz.Roles() {
		role := account.RoleRequester
		if r == authz.SupportAgent || r == authz.ITSupport {
			role = account.RoleAgent
		}
		sub := subjectOf(r)
		if _, err := svc.Register(context.Background(), support.Registration{AccountID: sub, Realm: account.RealmSupport, Role: role,
			Email: sub + "@support.example", Name: "Test " + string(r)}, commands.Metadata{CommandID: commands.NewCommandID()}); err != nil {
			t.Fatalf("registering the support account of %s: %v", r, err)
		}
	}
	return svc
}

// do sends a request as role ("" for nobody) and records the exchange.
func (e *env) do(role authz.Role, method, path string, body any, headers ...string) (*http.Response, []byte) {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[role])
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	e.mu.Lock()
	e.seen = append(e.seen, exchange{method: method, path: strings.SplitN(path, "?", 2)[0], status: res.StatusCode, contentType: res.Header.Get("Content-Type"), body: b})
	e.mu.Unlock()
	return res, b
}

// exec runs a command directly, as the fixtures' author.
func exec[S, C any, E decider.Event](t testing.TB, e *env, d decider.Decider[S, C, E], stream string, c C) {
	t.Helper()
	meta := commands.Metadata{CommandID: commands.NewCommandID(), Actor: "fixture"}
	if _, err := commands.Execute(context.Background(), e.deps, d, stream, c, meta); err != nil {
		t.Fatal(err)
	}
}

// waitFor polls until ok, for read models to catch up.
func waitFor(t testing.TB, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func decode[T any](t testing.TB, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decoding %s: %v", b, err)
	}
	return v
}
