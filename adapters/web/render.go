package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"ledgerdesk/app/authz"
)

//go:embed templates/*.html
var templateFiles embed.FS

// pages holds one template set per page: the layout plus that page's blocks.
type pages struct{ byName map[string]*template.Template }

var funcs = template.FuncMap{
	"date": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(london).Format("2 Jan 2006, 15:04")
	},
	"isodate": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"fielderr": func(errs fieldErrors, field string) *fieldError {
		for i := range errs {
			if errs[i].Field == field {
				return &errs[i]
			}
		}
		return nil
	},
	"describedby": func(errs fieldErrors, field, hint string) string {
		ids := []string{}
		if hint != "" {
			ids = append(ids, hint)
		}
		if errs.Has(field) {
			ids = append(ids, field+"-error")
		}
		return strings.Join(ids, " ")
	},
}

var london = func() *time.Location {
	l, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return l
}()

func parsePages() (*pages, error) {
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("web: parsing the layout: %w", err)
	}
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{byName: map[string]*template.Template{}}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(templateFiles, n)
		if err != nil {
			return nil, fmt.Errorf("web: parsing %s: %w", n, err)
		}
		p.byName[name] = t
	}
	return p, nil
}

// view is what every page renders from: the layout's parts and the page's own Data.
type view struct {
	Title    string
	Nav      string // which navigation item is this page (aria-current)
	SignedIn bool
	Errors   fieldErrors
	Notice   string
	Data     any
}

// fieldError is a message beside one field, and in the summary at the top of the form.
type fieldError struct {
	Field   string // the input's id
	Message string
}

type fieldErrors []fieldError

// Has says whether field has a message.
func (e fieldErrors) Has(field string) bool { return e.For(field) != "" }

// For is field's message, or "".
func (e fieldErrors) For(field string) string {
	for _, f := range e {
		if f.Field == field {
			return f.Message
		}
	}
	return ""
}

// render writes page with status. Rendering into a buffer first means a template error is
// a clean 500, not half a page.
func (s *Site) render(w http.ResponseWriter, r *http.Request, status int, page string, v view) {
	t, ok := s.pages.byName[page]
	if !ok {
		s.log.ErrorContext(r.Context(), "web: no such page template", "page", page)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	v.SignedIn = requestOf(r.Context()).signedIn
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		s.log.ErrorContext(r.Context(), "web: rendering", "page", page, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// Pages hold a person's own tickets: never kept by a shared cache.
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// actor is who is signed in.
func actor(r *http.Request) (authz.Actor, bool) {
	rq := requestOf(r.Context())
	return rq.actor, rq.signedIn
}
