package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// checkContract validates every recorded response against the OpenAPI document the server
// publishes (fetched over HTTP, as a client would). santhosh-tekuri/jsonschema is used
// because OpenAPI 3.1 schemas are JSON Schema 2020-12, which it implements fully, and it
// can compile a schema at a JSON pointer inside the document, so the document's own
// $refs resolve; kin-openapi's 3.1 support is still partial.
func (e *env) checkContract(t *testing.T) {
	t.Helper()
	res, raw := e.do("", "GET", "/api/v1/openapi.json", nil)
	if res.StatusCode != 200 {
		t.Fatalf("openapi.json: %d", res.StatusCode)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var spec struct {
		OpenAPI string `json:"openapi"`
		Paths   map[string]map[string]struct {
			Responses map[string]struct {
				Content map[string]any `json:"content"`
			} `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(raw, &spec); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(spec.OpenAPI, "3.1") {
		t.Fatalf("openapi = %q, want 3.1", spec.OpenAPI)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	const docURL = "mem://openapi.json"
	if err := c.AddResource(docURL, doc); err != nil {
		t.Fatal(err)
	}
	e.mu.Lock()
	seen := append([]exchange(nil), e.seen...)
	e.mu.Unlock()
	checked := 0
	for _, x := range seen {
		if !strings.HasPrefix(x.path, "/api/v1/") || strings.HasPrefix(x.path, "/api/v1/openapi") {
			continue
		}
		tmpl := matchPath(spec.Paths, x.path)
		if tmpl == "" {
			t.Errorf("%s %s: not in the OpenAPI document", x.method, x.path)
			continue
		}
		method := strings.ToLower(x.method)
		ops := spec.Paths[tmpl][method]
		code := strconv.Itoa(x.status)
		resp, ok := ops.Responses[code]
		if !ok {
			code = "default"
			if resp, ok = ops.Responses[code]; !ok {
				t.Errorf("%s %s: status %d is not documented", x.method, x.path, x.status)
				continue
			}
		}
		if len(x.body) == 0 {
			if len(resp.Content) > 0 {
				t.Errorf("%s %s %d: empty body, document promises %v", x.method, x.path, x.status, keys(resp.Content))
			}
			continue
		}
		ct := strings.TrimSpace(strings.SplitN(x.contentType, ";", 2)[0])
		if _, ok := resp.Content[ct]; !ok {
			t.Errorf("%s %s %d: content type %q not documented (%v)", x.method, x.path, x.status, ct, keys(resp.Content))
			continue
		}
		loc := fmt.Sprintf("%s#/paths/%s/%s/responses/%s/content/%s/schema", docURL, ptr(tmpl), method, code, ptr(ct))
		sch, err := c.Compile(loc)
		if err != nil {
			t.Fatalf("compiling %s: %v", loc, err)
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(x.body))
		if err != nil {
			t.Errorf("%s %s %d: body is not JSON: %v", x.method, x.path, x.status, err)
			continue
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("%s %s %d: body does not match the document: %v\nbody: %s", x.method, x.path, x.status, err, x.body)
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("contract: no responses were checked")
	}
	t.Logf("contract: %d responses checked against the OpenAPI document", checked)
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func ptr(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1") }

// matchPath finds the path template a concrete path belongs to; literal segments win.
func matchPath[V any](paths map[string]V, path string) string {
	segs := strings.Split(path, "/")
	best, bestLits := "", -1
	for tmpl := range paths {
		ts := strings.Split(tmpl, "/")
		if len(ts) != len(segs) {
			continue
		}
		lits, ok := 0, true
		for i := range ts {
			if strings.HasPrefix(ts[i], "{") {
				continue
			}
			if ts[i] != segs[i] {
				ok = false
				break
			}
			lits++
		}
		if ok && lits > bestLits {
			best, bestLits = tmpl, lits
		}
	}
	return best
}
