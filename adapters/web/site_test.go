package web

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"ledgerdesk/adapters/httpapi"
)

func get(t *testing.T, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func post(t *testing.T, c *http.Client, u string, form url.Values, headers ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func (e *env) signIn(t *testing.T, c *http.Client) {
	t.Helper()
	res, body := post(t, c, e.srv.URL+"/sign-in", url.Values{"email": {testEmail}, "password": {testPassword}, "next": {"/tickets"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/tickets" {
		t.Fatalf("sign-in: %d %s", res.StatusCode, body)
	}
}

func TestEveryResponseCarriesTheStrictSecurityHeaders(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	for _, path := range []string{"/", "/faq", "/sign-in", "/tickets", "/no-such-page", "/static/site.css", "/static/htmx.min.js"} {
		res, _ := get(t, c, e.srv.URL+path)
		h := res.Header
		if h.Get("Content-Security-Policy") != csp || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "same-origin" {
			t.Errorf("%s: headers %v", path, h)
		}
	}
}

func TestPagesAndAssetsAreServedByTheSiteItself(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	cases := []struct {
		path, contentType, contains string
		status                      int
	}{
		{"/", "text/html; charset=utf-8", "council tax bill", 200},
		{"/faq", "text/html; charset=utf-8", "Trouble logging in", 200},
		{"/sign-in", "text/html; charset=utf-8", `autocomplete="current-password"`, 200},
		{"/static/site.css", "text/css; charset=utf-8", ".skip-link", 200},
		{"/static/htmx.min.js", "text/javascript; charset=utf-8", "htmx", 200},
		{"/no-such-page", "text/html; charset=utf-8", "Page not found", 404},
		{"/healthz", "application/json", "ok", 200},
	}
	for _, tc := range cases {
		res, body := get(t, c, e.srv.URL+tc.path)
		if res.StatusCode != tc.status || res.Header.Get("Content-Type") != tc.contentType || !strings.Contains(body, tc.contains) {
			t.Errorf("%s: %d %q, want %d %q containing %q", tc.path, res.StatusCode, res.Header.Get("Content-Type"), tc.status, tc.contentType, tc.contains)
		}
		if strings.Contains(body, "<script>") || strings.Contains(body, "style=") {
			t.Errorf("%s: inline script or style, which the CSP would block", tc.path)
		}
	}
}

// The API reference used to load its renderer from a CDN and was blank offline: it is now
// this server's own HTML, every operation and schema on it, and nothing from elsewhere.
func TestTheAPIReferenceIsRenderedHereAndLoadsNothingFromElsewhere(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	res, body := get(t, e.client(), e.srv.URL+"/api/v1/docs")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("/api/v1/docs: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	doc := e.site.apiRef
	if doc == nil || len(doc.Groups) == 0 || len(doc.Schemas) == 0 {
		t.Fatal("the reference has no operations or no schemas")
	}
	for _, g := range doc.Groups {
		for _, op := range g.Operations {
			if !strings.Contains(body, `id="`+op.ID+`"`) {
				t.Errorf("operation %s %s is missing from the page", op.Method, op.Path)
			}
		}
	}
	for _, want := range []string{"/api/v1/tickets", "Problem", "/api/v1/openapi.json"} {
		if !strings.Contains(body, want) {
			t.Errorf("the reference does not mention %s", want)
		}
	}
	for _, external := range []string{`src="http`, `href="http`, `src="//`, `href="//`, "unpkg", "jsdelivr"} {
		if strings.Contains(body, external) {
			t.Errorf("the reference loads something from elsewhere (%s)", external)
		}
	}
	for _, id := range regexp.MustCompile(`href="#([^"]+)"`).FindAllStringSubmatch(body, -1) {
		if !strings.Contains(body, `id="`+id[1]+`"`) {
			t.Errorf("link to #%s has no target on the page", id[1])
		}
	}
}

func TestMyTicketsWithoutASessionRedirectsToSignIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, path := range []string{"/tickets", "/tickets/new"} {
		res, _ := get(t, e.client(), e.srv.URL+path)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/sign-in?next="+path {
			t.Errorf("%s: %d to %q", path, res.StatusCode, res.Header.Get("Location"))
		}
	}
	// A stale cookie is the same as none, and is cleared.
	c := e.client()
	u, _ := url.Parse(e.srv.URL)
	c.Jar.SetCookies(u, []*http.Cookie{{Name: "ledgerdesk_session", Value: "lds_stale"}})
	if res, _ := get(t, c, e.srv.URL+"/tickets"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("stale session: %d", res.StatusCode)
	}
}

func TestSignInThenOpenATicketThatShowsInMyTicketsAndTheAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	if res, body := post(t, c, e.srv.URL+"/sign-in", url.Values{"email": {testEmail}, "password": {"wrong password"}}); res.StatusCode != http.StatusUnauthorized ||
		!strings.Contains(body, "The email address or password is not right") || !strings.Contains(body, `value="`+testEmail+`"`) || strings.Contains(body, "wrong password") {
		t.Fatalf("wrong password: %d %s", res.StatusCode, body)
	}
	e.signIn(t, c)
	res, body := post(t, c, e.srv.URL+"/tickets/new", url.Values{"category": {"payments"}, "subject": {"Missing payment"}, "body": {"Where is it?"}, "ip": {"203.0.113.9"}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/tickets?opened=") {
		t.Fatalf("open: %d %s", res.StatusCode, body)
	}
	res, body = get(t, c, e.srv.URL+res.Header.Get("Location"))
	if res.StatusCode != 200 || !strings.Contains(body, "Missing payment") || !strings.Contains(body, "Your ticket has been opened") {
		t.Fatalf("my tickets: %d %s", res.StatusCode, body)
	}
	// The web's session is the API's: the same cookie reads the same tickets there.
	res, body = get(t, c, e.srv.URL+"/api/v1/tickets")
	if res.StatusCode != 200 || !strings.Contains(body, "Missing payment") {
		t.Fatalf("API with the web session: %d %s", res.StatusCode, body)
	}
	// The address went only with a blocked-IP ticket.
	if strings.Contains(body, "203.0.113.9") {
		t.Errorf("a payments ticket carries the IP: %s", body)
	}
	if res, _ := post(t, c, e.srv.URL+"/sign-out", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out: %d", res.StatusCode)
	}
	if res, _ := get(t, c, e.srv.URL+"/api/v1/tickets"); res.StatusCode != http.StatusUnauthorized && res.StatusCode != http.StatusOK {
		t.Fatalf("after sign-out: %d", res.StatusCode)
	}
	if res, _ := get(t, c, e.srv.URL+"/tickets"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("my tickets after sign-out: %d, want a redirect to sign in", res.StatusCode)
	}
}

func TestARefusedTicketFormKeepsTheInputShowsTheMessageAndWritesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	e.signIn(t, c)
	before := e.events()
	cases := map[string]struct {
		form  url.Values
		field string
		msg   string
	}{
		"no subject":        {url.Values{"category": {"other"}, "subject": {"  "}, "body": {"Keep this text"}}, "subject", "Enter a subject."},
		"no description":    {url.Values{"category": {"other"}, "subject": {"Keep this subject"}, "body": {""}}, "body", "Enter a description."},
		"no category":       {url.Values{"category": {""}, "subject": {"Keep this subject"}, "body": {"Keep this text"}}, "category", "Choose what your ticket is about."},
		"blocked, bad IP":   {url.Values{"category": {"blocked_ip"}, "subject": {"Keep this subject"}, "body": {"Keep this text"}, "ip": {"not-an-ip"}}, "ip", "IP address is not an IPv4 address"},
		"subject too long":  {url.Values{"category": {"other"}, "subject": {strings.Repeat("s", 201)}, "body": {"Keep this text"}}, "subject", "Subject longer than 200 characters."},
		"unknown category":  {url.Values{"category": {"complaint"}, "subject": {"Keep this subject"}, "body": {"Keep this text"}}, "category", "Choose what your ticket is about."},
		"control character": {url.Values{"category": {"other"}, "subject": {"Keep\x07this"}, "body": {"Keep this text"}}, "subject", "Subject contains control characters."},
	}
	for name, tc := range cases {
		res, body := post(t, c, e.srv.URL+"/tickets/new", tc.form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d", name, res.StatusCode)
			continue
		}
		if !strings.Contains(body, `id="`+tc.field+`-error"`) || !strings.Contains(body, tc.msg) || !strings.Contains(body, `aria-invalid="true"`) {
			t.Errorf("%s: no message %q beside %s:\n%s", name, tc.msg, tc.field, body)
		}
		if !strings.Contains(body, `aria-describedby="`+tc.field+`-hint `+tc.field+`-error"`) && !strings.Contains(body, `aria-describedby="`+tc.field+`-error"`) {
			t.Errorf("%s: the message is not tied to the field", name)
		}
		for _, kept := range []string{"Keep this subject", "Keep this text"} {
			if strings.Contains(tc.form.Get("subject")+tc.form.Get("body"), kept) && !strings.Contains(body, kept) {
				t.Errorf("%s: lost %q", name, kept)
			}
		}
	}
	if after := e.events(); after != before {
		t.Errorf("refused forms appended %d events", after-before)
	}
}

func TestACrossSitePostIsRefusedWithThe403PageAndWritesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	e.signIn(t, c)
	before := e.events()
	form := url.Values{"category": {"other"}, "subject": {"Forged"}, "body": {"Forged"}}
	for name, h := range map[string][]string{
		"Sec-Fetch-Site":     {"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"},
		"Origin, old client": {"Origin", "https://evil.example"},
	} {
		res, body := post(t, c, e.srv.URL+"/tickets/new", form, h...)
		if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "This form was sent from another site") || res.Header.Get("Content-Security-Policy") != csp {
			t.Errorf("%s: %d %s", name, res.StatusCode, body)
		}
	}
	if res, _ := post(t, c, e.srv.URL+"/sign-out", nil, "Sec-Fetch-Site", "cross-site"); res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site sign-out: %d", res.StatusCode)
	}
	if after := e.events(); after != before {
		t.Errorf("refused cross-site posts appended %d events", after-before)
	}
}

func TestSignInReturnsOnlyToThisSitesOwnPages(t *testing.T) {
	for in, want := range map[string]string{"/tickets/new": "/tickets/new", "https://evil.example/": "/tickets", "//evil.example": "/tickets", "": "/tickets"} {
		if got := nextFor(in); got != want {
			t.Errorf("nextFor(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTheFAQFileParsesAndRefusesTextOutsideAQuestion(t *testing.T) {
	if len(faqEntries) != 8 {
		t.Errorf("%d questions, want the help page's 8", len(faqEntries))
	}
	if _, err := parseFAQ("stray text\n? Q\nA\n"); err == nil {
		t.Error("text before the first question was accepted")
	}
	if _, err := parseFAQ("? Q without an answer\n"); err == nil {
		t.Error("a question without an answer was accepted")
	}
	es, _ := parseFAQ("? Q\n<b>[here](/tickets/new?category=blocked_ip)</b> and [there](https://evil.example)\n")
	got := string(es[0].Answer[0])
	if got != `<p>&lt;b&gt;<a href="/tickets/new?category=blocked_ip">here</a>&lt;/b&gt; and [there](https://evil.example)</p>` {
		t.Errorf("answer rendered as %s", got)
	}
}

func TestSignInSharesTheAPIsRateLimitPerAccount(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, func(c *httpapi.Config) {
		c.Limits = httpapi.Limits{Login: httpapi.Limit{Every: time.Hour, Burst: 2}}
	}, nil)
	c := e.client()
	for i := range 2 {
		if res, _ := post(t, c, e.srv.URL+"/sign-in", url.Values{"email": {testEmail}, "password": {"wrong"}}); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, res.StatusCode)
		}
	}
	res, body := post(t, c, e.srv.URL+"/sign-in", url.Values{"email": {testEmail}, "password": {testPassword}})
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || !strings.Contains(body, "Too many sign-in attempts") {
		t.Fatalf("third attempt: %d %s", res.StatusCode, body)
	}
}

func TestTheLogCarriesRoutesAndAccountIDsButNoPersonalData(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	e := newEnvWith(t, nil, func(c *Config) { c.Logger = slog.New(slog.NewJSONHandler(&buf, nil)) })
	c := e.client()
	e.signIn(t, c)
	post(t, c, e.srv.URL+"/tickets/new", url.Values{"category": {"blocked_ip"}, "subject": {"Blocked from home"}, "body": {"My flat's broadband"}, "ip": {"198.51.100.23"}})
	get(t, c, e.srv.URL+"/tickets?opened=x")
	log := buf.String()
	for _, secret := range []string{testEmail, testPassword, "Blocked from home", "broadband", "198.51.100.23", "lds_"} {
		if strings.Contains(log, secret) {
			t.Errorf("the log holds %q:\n%s", secret, log)
		}
	}
	if !strings.Contains(log, `"route":"POST /tickets/new"`) || !strings.Contains(log, `"actor":`) {
		t.Errorf("the log lacks the route or the actor:\n%s", log)
	}
}

// syncBuffer is a bytes.Buffer the server's goroutines may write to at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Behind a proxy the operator named, the client's address is the one X-Forwarded-For
// gives; from anyone else the header is ignored, or a visitor could write any address
// onto a blocked-IP ticket (or dodge a per-address limit).
func TestTheClientsAddressComesFromXForwardedForOnlyThroughATrustedProxy(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name    string
		trusted []string
		want    string
	}{
		{"no trusted proxy", nil, "127.0.0.1"},
		{"the test's loopback peer is the trusted proxy", []string{"127.0.0.0/8"}, "198.51.100.7"},
	} {
		e := newEnvWith(t, func(a *httpapi.Config) { a.TrustedProxies = c.trusted }, func(s *Config) { s.TrustedProxies = c.trusted })
		cl := e.client()
		req, _ := http.NewRequest("GET", e.srv.URL+"/my-ip", nil)
		req.Header.Set("X-Forwarded-For", "198.51.100.7")
		res, err := cl.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if !strings.Contains(string(body), "<output>"+c.want+"</output>") {
			t.Errorf("%s: /my-ip does not show %s:\n%s", c.name, c.want, body)
		}
		if res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: the address may be cached", c.name)
		}
		e.signIn(t, cl)
		req, _ = http.NewRequest("GET", e.srv.URL+"/tickets/new?category=blocked_ip", nil)
		req.Header.Set("X-Forwarded-For", "198.51.100.7")
		res, err = cl.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ = io.ReadAll(res.Body)
		res.Body.Close()
		if !strings.Contains(string(body), `value="`+c.want+`"`) {
			t.Errorf("%s: the blocked-IP ticket is not pre-filled with %s", c.name, c.want)
		}
	}
}
