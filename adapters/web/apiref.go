package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
)

// The API reference is rendered here, on the server, from the OpenAPI document the API
// generates: a renderer fetched from a CDN leaves the page blank offline, and a page of
// plain HTML is also the one a screen reader and a text browser read best.

// openAPIDoc is the part of an OpenAPI 3.1 document the reference shows.
type openAPIDoc struct {
	Info struct {
		Title       string `json:"title"`
		Version     string `json:"version"`
		Description string `json:"description"`
	} `json:"info"`
	Paths      map[string]map[string]openAPIOperation `json:"paths"`
	Components struct {
		Schemas map[string]openAPISchema `json:"schemas"`
	} `json:"components"`
}

type openAPIOperation struct {
	OperationID string   `json:"operationId"`
	Summary     string   `json:"summary"`
	Description string   `json:"description"`
	Tags        []string `json:"tags"`
	Parameters  []struct {
		Name        string        `json:"name"`
		In          string        `json:"in"`
		Required    bool          `json:"required"`
		Description string        `json:"description"`
		Schema      openAPISchema `json:"schema"`
	} `json:"parameters"`
	RequestBody *struct {
		Content map[string]struct {
			Schema openAPISchema `json:"schema"`
		} `json:"content"`
	} `json:"requestBody"`
	Responses map[string]struct {
		Description string `json:"description"`
		Content     map[string]struct {
			Schema openAPISchema `json:"schema"`
		} `json:"content"`
	} `json:"responses"`
	Security []map[string][]string `json:"security"`
}

type openAPISchema struct {
	Ref         string                   `json:"$ref"`
	Type        any                      `json:"type"` // a string, or a list in 3.1
	Format      string                   `json:"format"`
	Description string                   `json:"description"`
	Items       *openAPISchema           `json:"items"`
	Properties  map[string]openAPISchema `json:"properties"`
	Required    []string                 `json:"required"`
	Enum        []any                    `json:"enum"`
	MaxLength   *int                     `json:"maxLength"`
	Pattern     string                   `json:"pattern"`
}

// typeName says what a schema holds, in a few words, linking nothing.
func (s openAPISchema) typeName() string {
	if s.Ref != "" {
		return schemaRefName(s.Ref)
	}
	var t string
	switch v := s.Type.(type) {
	case string:
		t = v
	case []any:
		var parts []string
		for _, p := range v {
			if ps, ok := p.(string); ok && ps != "null" {
				parts = append(parts, ps)
			}
		}
		t = strings.Join(parts, " or ")
	}
	if t == "array" && s.Items != nil {
		return "list of " + s.Items.typeName()
	}
	if s.Format != "" {
		t += " (" + s.Format + ")"
	}
	if len(s.Enum) > 0 {
		var vals []string
		for _, e := range s.Enum {
			vals = append(vals, fmt.Sprint(e))
		}
		t += ": one of " + strings.Join(vals, ", ")
	}
	if t == "" {
		return "any"
	}
	return t
}

func schemaRefName(ref string) string { return ref[strings.LastIndex(ref, "/")+1:] }

// apiRefView is the reference as the template shows it.
type apiRefView struct {
	Title, Version, Description string
	Groups                      []apiRefGroup
	Schemas                     []apiRefSchema
}

type apiRefGroup struct {
	Tag        string
	ID         string
	Operations []apiRefOperation
}

type apiRefOperation struct {
	ID, Method, Path, Summary, Description string
	Parameters                             []apiRefField
	Body                                   string // schema name, with BodyID its anchor
	BodyID                                 string
	Responses                              []apiRefResponse
	Public                                 bool
}

type apiRefField struct {
	Name, In, Type, Description string
	Required                    bool
	SchemaID                    string // anchor of the field's schema, when it has one
}

type apiRefResponse struct {
	Status, Description, Schema, SchemaID string
}

type apiRefSchema struct {
	Name, ID, Description string
	Fields                []apiRefField
}

var methodOrder = map[string]int{"get": 0, "post": 1, "put": 2, "patch": 3, "delete": 4}

// buildAPIReference turns the OpenAPI document into the page's view; a document it cannot
// read is an error at start-up, not a broken page later.
func buildAPIReference(doc []byte) (*apiRefView, error) {
	var d openAPIDoc
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, fmt.Errorf("web: the API's OpenAPI document: %w", err)
	}
	v := &apiRefView{Title: d.Info.Title, Version: d.Info.Version, Description: d.Info.Description}
	groups := map[string]*apiRefGroup{}
	for path, ops := range d.Paths {
		for method, op := range ops {
			if _, ok := methodOrder[method]; !ok {
				continue // "parameters", "summary" and the like sit beside the operations
			}
			tag := "Other"
			if len(op.Tags) > 0 {
				tag = op.Tags[0]
			}
			g := groups[tag]
			if g == nil {
				g = &apiRefGroup{Tag: tag, ID: "tag-" + anchor(tag)}
				groups[tag] = g
			}
			o := apiRefOperation{ID: "op-" + anchor(op.OperationID), Method: strings.ToUpper(method), Path: path,
				Summary: op.Summary, Description: op.Description, Public: op.Security != nil && len(op.Security) == 0}
			if o.ID == "op-" {
				o.ID = "op-" + anchor(method+" "+path)
			}
			for _, p := range op.Parameters {
				o.Parameters = append(o.Parameters, apiRefField{Name: p.Name, In: p.In, Type: p.Schema.typeName(),
					Description: p.Description, Required: p.Required, SchemaID: schemaAnchor(p.Schema)})
			}
			if op.RequestBody != nil {
				for _, c := range op.RequestBody.Content {
					o.Body, o.BodyID = c.Schema.typeName(), schemaAnchor(c.Schema)
					break
				}
			}
			for status, r := range op.Responses {
				resp := apiRefResponse{Status: status, Description: r.Description}
				for _, c := range r.Content {
					resp.Schema, resp.SchemaID = c.Schema.typeName(), schemaAnchor(c.Schema)
					break
				}
				o.Responses = append(o.Responses, resp)
			}
			sort.Slice(o.Responses, func(i, j int) bool { return o.Responses[i].Status < o.Responses[j].Status })
			g.Operations = append(g.Operations, o)
		}
	}
	for _, g := range groups {
		sort.Slice(g.Operations, func(i, j int) bool {
			a, b := g.Operations[i], g.Operations[j]
			if a.Path != b.Path {
				return a.Path < b.Path
			}
			return methodOrder[strings.ToLower(a.Method)] < methodOrder[strings.ToLower(b.Method)]
		})
		v.Groups = append(v.Groups, *g)
	}
	sort.Slice(v.Groups, func(i, j int) bool { return v.Groups[i].Tag < v.Groups[j].Tag })
	for name, s := range d.Components.Schemas {
		rs := apiRefSchema{Name: name, ID: "schema-" + anchor(name), Description: s.Description}
		required := map[string]bool{}
		for _, r := range s.Required {
			required[r] = true
		}
		for field, fs := range s.Properties {
			rs.Fields = append(rs.Fields, apiRefField{Name: field, Type: fs.typeName(), Description: fs.Description,
				Required: required[field], SchemaID: schemaAnchor(fs)})
		}
		sort.Slice(rs.Fields, func(i, j int) bool { return rs.Fields[i].Name < rs.Fields[j].Name })
		v.Schemas = append(v.Schemas, rs)
	}
	sort.Slice(v.Schemas, func(i, j int) bool { return v.Schemas[i].Name < v.Schemas[j].Name })
	return v, nil
}

// schemaAnchor is the anchor of the component a schema refers to (directly or as a list's
// items), or "".
func schemaAnchor(s openAPISchema) string {
	for s.Ref == "" && s.Items != nil {
		s = *s.Items
	}
	if s.Ref == "" {
		return ""
	}
	return "schema-" + anchor(schemaRefName(s.Ref))
}

// anchor makes an id attribute's value out of any text.
func anchor(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "-") {
				b.WriteByte('-')
			}
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// apiReference serves the reference. The page is long (every operation and schema) and the
// same for everyone but for the sign-in link, so each of its two forms is rendered once.
func (s *Site) apiReference(w http.ResponseWriter, r *http.Request) {
	if s.apiRef == nil {
		s.notFound(w, r)
		return
	}
	signedIn := requestOf(r.Context()).signedIn
	s.apiRefOnce[boolIndex(signedIn)].Do(func() {
		rec := httptest.NewRecorder()
		s.render(rec, r, http.StatusOK, "apiref", view{Title: "API reference", Nav: "api", Data: s.apiRef})
		if rec.Code == http.StatusOK {
			s.apiRefPage[boolIndex(signedIn)] = rec.Body.Bytes()
		}
	})
	page := s.apiRefPage[boolIndex(signedIn)]
	if page == nil {
		s.render(w, r, http.StatusOK, "apiref", view{Title: "API reference", Nav: "api", Data: s.apiRef})
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(page)
}

func boolIndex(b bool) int {
	if b {
		return 1
	}
	return 0
}
