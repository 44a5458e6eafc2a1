package httpapi

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
)

// CorrelationHeader carries the correlation id in and out; it becomes the correlation id
// of every event the request leads to.
const CorrelationHeader = "X-Correlation-ID"

// SessionCookie is the web session's cookie.
const SessionCookie = "ledgerdesk_session"

// statusWriter remembers the status for the log line and the metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(s int) {
	if w.status == 0 {
		w.status = s
	}
	w.ResponseWriter.WriteHeader(s)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// observe gives the request its correlation id and logs and measures it.
func (a *API) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		cid, err := uuid.Parse(r.Header.Get(CorrelationHeader))
		if err != nil || cid == uuid.Nil {
			cid = uuid.Must(uuid.NewV7())
		}
		rq := &request{correlationID: cid, ip: a.clients.IP(r)}
		w.Header().Set(CorrelationHeader, cid.String())
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r.WithContext(withRequest(r.Context(), rq)))
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		d := time.Since(start)
		route := rq.route
		if route == "" {
			route = r.URL.Path
			if strings.HasPrefix(route, "/api/") {
				route = "unmatched" // keep label cardinality bounded
			}
		}
		a.metrics.observe(r.Method, route, sw.status, d)
		level := slog.LevelInfo
		if sw.status >= 500 {
			level = slog.LevelError
		}
		attrs := []any{"method", r.Method, "path", r.URL.Path, "route", route, "status", sw.status,
			"duration_ms", float64(d.Microseconds()) / 1000, "correlation_id", cid.String(), "ip", rq.ip}
		if rq.authenticated {
			attrs = append(attrs, "actor", rq.actor.Subject, "role", string(rq.actor.Role))
		}
		a.log.Log(r.Context(), level, "http request", attrs...)
	})
}

// authenticate resolves the bearer token or session cookie. No credentials leave the
// request anonymous (operations that need someone say 401); wrong credentials are a 401
// at once, so a client never mistakes a dead token for being anonymous.
func (a *API) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rq := requestOf(r.Context())
		h := r.Header.Get("Authorization")
		// Without a bearer token the request is a browser's with its cookie, or a sign-in
		// form (a foreign page signing the victim in to the attacker's account is CSRF
		// too): a state change must come from this site or a trusted origin.
		if h == "" {
			if err := a.CheckOrigin(r); err != nil {
				writeProblem(w, newProblem(http.StatusForbidden, TypeForbidden,
					"a change made without a bearer token (session cookie or sign-in) must come from this site; Origin or Sec-Fetch-Site says otherwise. API clients send a Bearer token"))
				return
			}
		}
		if h != "" {
			scheme, secret, ok := strings.Cut(h, " ")
			if !ok || !strings.EqualFold(scheme, "Bearer") {
				writeProblem(w, newProblem(http.StatusUnauthorized, TypeUnauthorized, "Authorization: want Bearer <token>"))
				return
			}
			actor, tok, err := a.principals.byToken(r.Context(), strings.TrimSpace(secret))
			if err != nil {
				writeProblem(w, problemFor(err))
				return
			}
			rq.actor, rq.authenticated, rq.token = actor, true, tok
		} else if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
			actor, err := a.principals.bySession(r.Context(), c.Value)
			if err != nil {
				writeProblem(w, problemFor(err))
				return
			}
			rq.actor, rq.authenticated, rq.viaSession, rq.sessionSecret = actor, true, true, c.Value
		}
		next.ServeHTTP(w, r)
	})
}

// CheckOrigin refuses a cross-origin unsafe request (POST, PUT, PATCH, DELETE), by
// Sec-Fetch-Site or else Origin against Host, Config.TrustedOrigins excepted; a request
// with neither header is not from a browser and passes. Safe methods always pass. It is
// applied to every request without a bearer token; the web pages' CSRF protection is the
// same check.
func (a *API) CheckOrigin(r *http.Request) error { return a.origins.Check(r) }
