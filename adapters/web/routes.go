package web

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed static
var staticFiles embed.FS

// routes is the site's map. Each route names itself for the log.
func (s *Site) routes() http.Handler {
	mux := http.NewServeMux()
	handle := func(pattern string, h http.HandlerFunc) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			requestOf(r.Context()).route = pattern
			h(w, r)
		})
	}
	handle("GET /{$}", s.home)
	handle("GET /faq", s.faq)
	handle("GET /api/v1/docs", s.apiReference)
	handle("GET /my-ip", s.myIP)
	handle("GET /equipment-test", s.equipmentTest)
	handle("GET /equipment-test/download", s.speedDownload)
	handle("POST /equipment-test/upload", s.speedUpload)
	handle("GET /help", s.helpIndex)
	handle("GET /help/search", s.helpSearch)
	handle("GET /help/trouble-logging-in", s.troubleshooter)
	handle("GET /help/{slug}", s.helpArticle)
	handle("GET /sign-in", s.signInForm)
	handle("POST /sign-in", s.signIn)
	handle("POST /sign-out", s.signOut)
	handle("GET /dev/mail", s.devMail)
	handle("GET /register", s.registerForm)
	handle("POST /register", s.register)
	handle("GET /password/forgot", s.forgotForm)
	handle("POST /password/forgot", s.forgot)
	handle("GET /password/forgot/sent", s.forgotSent)
	handle("GET /password/reset/{account}/{token}", s.resetForm)
	handle("POST /password/reset", s.reset)
	handle("GET /tickets", s.signedIn(s.myTickets))
	handle("GET /tickets/new", s.signedIn(s.newTicketForm))
	handle("POST /tickets/new", s.signedIn(s.openTicket))
	handle("GET /tickets/{id}", s.signedIn(s.thread))
	handle("POST /tickets/{id}/reply", s.signedIn(s.reply))
	handle("GET /profile", s.signedIn(s.profile))
	handle("POST /profile/details", s.signedIn(s.saveDetails))
	handle("POST /profile/password", s.signedIn(s.changePassword))
	handle("POST /profile/two-factor", s.signedIn(s.beginTwoFactor))
	handle("POST /profile/two-factor/confirm", s.signedIn(s.confirmTwoFactor))
	s.staffRoutes(handle)

	static, _ := fs.Sub(staticFiles, "static")
	files := http.FileServerFS(static)
	handle("GET /static/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		http.StripPrefix("/static/", files).ServeHTTP(w, r)
	})
	handle("/", s.notFound)
	return secure(s.observe(s.crossOrigin(s.session(mux))))
}

func (s *Site) notFound(w http.ResponseWriter, r *http.Request) {
	requestOf(r.Context()).route = "not found"
	s.render(w, r, http.StatusNotFound, "notfound", view{Title: "Page not found"})
}

// signedIn sends someone not signed in to the sign-in page, and back here after.
func (s *Site) signedIn(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, ok := actor(r); !ok {
			http.Redirect(w, r, "/sign-in?next="+nextFor(r.URL.Path), http.StatusSeeOther)
			return
		}
		h(w, r)
	}
}

// returnPaths are where sign-in may send someone back to: a fixed list, so the parameter
// can never become an open redirect.
var returnPaths = map[string]bool{"/tickets": true, "/tickets/new": true, "/profile": true}

func nextFor(path string) string {
	if returnPaths[path] {
		return path
	}
	return "/tickets"
}
