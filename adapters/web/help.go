package web

import (
	"html/template"
	"net/http"
	"strings"

	"ledgerdesk/app"
	"ledgerdesk/app/authz"
)

// readerCall is a call for what anyone may read: a visitor's when nobody is signed in.
func (s *Site) readerCall(r *http.Request) app.Call {
	c := s.call(r)
	if _, ok := actor(r); !ok {
		c.Actor = authz.VisitorActor()
	}
	return c
}

// helpData is the help index, or a search's results.
type helpData struct {
	Query    string
	Searched bool
	Articles []app.HelpArticle
	Hits     []app.HelpHit
}

func (s *Site) helpIndex(w http.ResponseWriter, r *http.Request) {
	list, err := s.cfg.App.HelpArticles(r.Context(), s.readerCall(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "help", view{Title: "Help articles", Nav: "help", Data: helpData{Articles: list}})
}

// helpSearch is a GET form: a search changes nothing, and its address can be shared. The
// words searched for are not personal data, but they are kept out of the log all the same
// (the log records the route, not the query string).
func (s *Site) helpSearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	d := helpData{Query: q, Searched: strings.TrimSpace(q) != ""}
	hits, err := s.cfg.App.SearchHelp(r.Context(), s.readerCall(r), q)
	if app.ClassOf(err) == app.Invalid {
		s.render(w, r, http.StatusUnprocessableEntity, "help", view{Title: "Search the help", Nav: "help",
			Errors: fieldErrors{{Field: "q", Message: "Enter at most 200 characters of text to search for"}}, Data: d})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Hits = hits
	if !d.Searched {
		if d.Articles, err = s.cfg.App.HelpArticles(r.Context(), s.readerCall(r)); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	title := "Help articles"
	if d.Searched {
		title = "Search results"
	}
	s.render(w, r, http.StatusOK, "help", view{Title: title, Nav: "help", Data: d})
}

// articleData is one article; its body was sanitised by the library when it was written.
type articleData struct {
	Article app.HelpArticle
	Body    template.HTML
}

func (s *Site) helpArticle(w http.ResponseWriter, r *http.Request) {
	a, err := s.cfg.App.HelpArticle(r.Context(), s.readerCall(r), r.PathValue("slug"))
	if app.ClassOf(err) == app.NotFound {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "helparticle", view{Title: a.Title, Nav: "help",
		Data: articleData{Article: a, Body: template.HTML(a.HTML)}})
}
