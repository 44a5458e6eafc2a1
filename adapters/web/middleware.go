package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/google/uuid"

	"ledgerdesk/app/authz"
)

// csp allows nothing inline and nothing from elsewhere: every script, style and image is
// the site's own file.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"frame-ancestors 'none'; form-action 'self'; base-uri 'none'"

// secure sets the headers every response carries, whatever it is.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// request is what the middleware learns about a request, for the handlers and the log.
type request struct {
	id       uuid.UUID
	route    string
	ip       string
	actor    authz.Actor
	signedIn bool
	secret   string
}

type requestKey struct{}

func requestOf(ctx context.Context) *request {
	if rq, ok := ctx.Value(requestKey{}).(*request); ok {
		return rq
	}
	return &request{}
}

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

// observe logs each request by its route pattern, never its query or form (which is where
// personal data would be), with the account id of whoever is signed in.
func (s *Site) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rq := &request{id: uuid.Must(uuid.NewV7()), ip: s.clients.IP(r), route: "unmatched"}
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), requestKey{}, rq)))
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		level := slog.LevelInfo
		if sw.status >= 500 {
			level = slog.LevelError
		}
		attrs := []any{"door", "web", "method", r.Method, "route", rq.route, "status", sw.status,
			"duration_ms", float64(time.Since(start).Microseconds()) / 1000, "correlation_id", rq.id.String()}
		if rq.signedIn {
			attrs = append(attrs, "actor", rq.actor.Subject, "role", string(rq.actor.Role))
		}
		s.log.Log(r.Context(), level, "web request", attrs...)
	})
}

// session resolves the session cookie. A stale cookie leaves the request anonymous and is
// cleared, so the person is simply asked to sign in again.
func (s *Site) session(next http.Handler) http.Handler {
	name := s.cfg.Sessions.CookieName()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rq := requestOf(r.Context())
		if c, err := r.Cookie(name); err == nil && c.Value != "" {
			actor, err := s.cfg.Sessions.Lookup(r.Context(), c.Value)
			if err != nil {
				http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true})
			} else {
				rq.actor, rq.signedIn, rq.secret = actor, true, c.Value
			}
		}
		next.ServeHTTP(w, r)
	})
}

// crossOrigin refuses a state-changing request another site made the browser send
// (Sec-Fetch-Site, else Origin against Host), with the 403 page.
func (s *Site) crossOrigin(next http.Handler) http.Handler {
	p := http.NewCrossOriginProtection()
	p.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requestOf(r.Context()).route = "cross-origin refused"
		s.render(w, r, http.StatusForbidden, "forbidden", view{Title: "This form was sent from another site"})
	}))
	return p.Handler(next)
}
