package httpapi

import (
	"strconv"
	"strings"
	"testing"

	"github.com/danielgtaylor/huma/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/app"
	"ledgerdesk/codec"
	"ledgerdesk/commands"
	"ledgerdesk/commands/support"
	"ledgerdesk/domain/check"
	"ledgerdesk/eventstore"
)

// noStore stands in for the event store where only the routes are wanted: any call panics.
type noStore struct{ eventstore.Store }

// isID says whether a parameter or property names an id: "id", "clinicianID", "payout_id".
func isID(name string) bool {
	return name == "id" || strings.HasSuffix(name, "ID") || strings.HasSuffix(name, "_id")
}

// The OpenAPI struct tags are literals, so this ties each id's maxLength to the one limit
// every aggregate checks ids against: a request huma lets through is never refused by the
// domain for its id's length, and the other way round.
func TestEveryIDInTheAPIHasTheDomainIDLimit(t *testing.T) {
	store := noStore{}
	application, err := app.New(app.Config{Commands: commands.Deps{Store: store, Codec: new(codec.Codec)}, DB: new(pgxpool.Pool),
		Support: new(support.Service)})
	if err != nil {
		t.Fatal(err)
	}
	a, err := New(Config{App: application, DB: new(pgxpool.Pool), Store: store})
	if err != nil {
		t.Fatal(err)
	}
	doc := a.OpenAPI()
	reg := doc.Components.Schemas
	checked := 0
	assert := func(where, name string, s *huma.Schema) {
		if s == nil || s.Type != "string" || !isID(name) {
			return
		}
		checked++
		if s.MaxLength == nil || *s.MaxLength != check.MaxIDLength {
			got := "none"
			if s.MaxLength != nil {
				got = strconv.Itoa(*s.MaxLength)
			}
			t.Errorf("%s: %s has maxLength %s, want check.MaxIDLength (%d)", where, name, got, check.MaxIDLength)
		}
	}
	var walk func(where string, s *huma.Schema, depth int)
	walk = func(where string, s *huma.Schema, depth int) {
		if s == nil || depth > 8 {
			return
		}
		if s.Ref != "" {
			s = reg.SchemaFromRef(s.Ref)
			if s == nil {
				return
			}
		}
		for name, p := range s.Properties {
			if p != nil && p.Ref != "" {
				walk(where+"."+name, p, depth+1)
				continue
			}
			assert(where, name, p)
			walk(where+"."+name, p, depth+1)
			if p != nil && p.Items != nil {
				walk(where+"."+name+"[]", p.Items, depth+1)
			}
		}
	}
	for path, item := range doc.Paths {
		for method, op := range map[string]*huma.Operation{"GET": item.Get, "POST": item.Post, "PUT": item.Put, "PATCH": item.Patch, "DELETE": item.Delete} {
			if op == nil {
				continue
			}
			where := method + " " + path
			for _, p := range op.Parameters {
				if p.In == "path" || p.In == "query" {
					assert(where, p.Name, p.Schema)
				}
			}
			if op.RequestBody != nil {
				for _, mt := range op.RequestBody.Content {
					walk(where, mt.Schema, 0)
				}
			}
		}
	}
	if checked < 15 {
		t.Fatalf("checked only %d ids; the walk over the OpenAPI document has gone wrong", checked)
	}
	t.Logf("%d ids have maxLength %d", checked, check.MaxIDLength)
}
