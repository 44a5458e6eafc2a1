// Package arch holds the tests that keep the shape of the code: dependencies point inward,
// from the doors and adapters towards the domain, never back out.
package arch

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

const module = "ledgerdesk/"

// rule forbids packages under From (a path inside the module, "" for all) to import
// packages under any of Not, except those under Except. Packages under Unless are not
// bound by it.
type rule struct {
	From   string
	Not    []string
	Except []string
	Unless []string
	Why    string
}

// rules are the arrows. Only what a package's non-test files import counts: tests may
// reach for a real database or a fake.
var rules = []rule{
	{From: "domain", Not: []string{""}, Except: []string{"domain"},
		Why: "the domain is pure: it imports nothing of ours outside domain/"},
	{From: "commands", Not: []string{"adapters", "projections", "projector", "cmd", "app", "policies", "audit"},
		Why: "the command side depends on ports, not on adapters, read models or doors"},
	{From: "projections", Not: []string{"commands", "adapters", "projector", "cmd", "app", "policies", "audit"},
		Why: "read models depend on events and the codec only"},
	{From: "app", Not: []string{"adapters", "cmd"},
		Why: "the application layer is reached by the doors and reaches adapters only through ports"},
	{From: "codec", Not: []string{"adapters", "commands", "projections", "projector", "cmd", "app"},
		Why: "the codec is shared by both sides and owns no storage"},
	{From: "eventstore", Not: []string{"adapters", "commands", "projections", "projector", "cmd", "app", "domain"},
		Why: "the event store port knows nothing of what is stored in it"},
	{From: "policies", Not: []string{"adapters", "cmd"},
		Why: "policies act through the application layer, as a named system actor"},
	{From: "", Not: []string{"cmd"}, Unless: []string{"cmd"},
		Why: "nothing outside cmd/ imports a binary or its parts"},
}

type pkg struct {
	ImportPath string
	Imports    []string
}

func TestDependenciesPointInward(t *testing.T) {
	out, err := exec.Command("go", "list", "-json=ImportPath,Imports", module+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	var pkgs []pkg
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 20 {
		t.Fatalf("go list found only %d packages: is the test running inside the module?", len(pkgs))
	}
	var offences []string
	for _, p := range pkgs {
		from := strings.TrimPrefix(p.ImportPath, module)
		for _, imp := range p.Imports {
			if !strings.HasPrefix(imp, module) {
				continue
			}
			to := strings.TrimPrefix(imp, module)
			// Test helpers (eventstoretest, pgtest, paymentstest...) put real adapters
			// together for tests; production code must not import them. withpg is the
			// tool that runs the tests.
			if testHelper(to) && !testHelper(from) && from != "cmd/withpg" {
				offences = append(offences, fmt.Sprintf("%s imports %s: a test helper, for _test files only", from, to))
			}
			if testHelper(from) {
				continue
			}
			for _, r := range rules {
				if broken(r, from, to) {
					offences = append(offences, fmt.Sprintf("%s imports %s: %s", from, to, r.Why))
				}
			}
		}
	}
	sort.Strings(offences)
	for _, o := range offences {
		t.Error(o)
	}
}

// under says whether path is dir or inside it; "" contains everything.
func under(path, dir string) bool {
	return dir == "" || path == dir || strings.HasPrefix(path, dir+"/")
}

// testHelper says whether a package exists for tests: its name ends in "test".
func testHelper(path string) bool {
	return strings.HasSuffix(path[strings.LastIndex(path, "/")+1:], "test")
}

func broken(r rule, from, to string) bool {
	if !under(from, r.From) || under(to, r.From) && r.From != "" {
		return false
	}
	for _, u := range r.Unless {
		if under(from, u) {
			return false
		}
	}
	for _, e := range r.Except {
		if under(to, e) {
			return false
		}
	}
	for _, n := range r.Not {
		if under(to, n) {
			return true
		}
	}
	return false
}

// TestTheRulesCatchAnOutwardArrow keeps the checker honest: each rule must reject an
// import it exists to forbid.
func TestTheRulesCatchAnOutwardArrow(t *testing.T) {
	cases := []struct{ from, to string }{
		{"domain/invoice", "commands"},
		{"domain/invoice", "eventstore"},
		{"commands/payouts", "adapters/pain001"},
		{"commands", "projections/earnings"},
		{"projections/earnings", "commands"},
		{"projections/support", "adapters/wmstore"},
		{"app", "adapters/postgres"},
		{"codec", "adapters/postgres"},
		{"policies/payments", "adapters/postgres"},
		{"adapters/httpapi", "cmd/ledgerdesk"},
		{"adapters/httpapi", "cmd/ledgerdesk/internal/wiring"},
	}
	for _, c := range cases {
		caught := false
		for _, r := range rules {
			caught = caught || broken(r, c.from, c.to)
		}
		if !caught {
			t.Errorf("%s importing %s is not caught by any rule", c.from, c.to)
		}
	}
	allowed := []struct{ from, to string }{
		{"domain/invoice", "domain/check"},
		{"commands/payouts", "domain/payout"},
		{"projections/earnings", "codec"},
		{"app", "projections/earnings"},
		{"policies/payments", "app"},
		{"cmd/ledgerdesk", "adapters/postgres"},
		{"cmd/ledgerdesk", "cmd/ledgerdesk/internal/wiring"},
	}
	for _, c := range allowed {
		for _, r := range rules {
			if broken(r, c.from, c.to) {
				t.Errorf("%s importing %s is refused (%s), but it points inward", c.from, c.to, r.Why)
			}
		}
	}
}

// TestOnlyTheApplicationLayerRunsCommands: outside the command side itself, a command is
// run through the application layer (app.App.Execute and its workflows), never by calling
// commands.Execute directly, so no door or policy skips authorization, logging or metrics.
func TestOnlyTheApplicationLayerRunsCommands(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{.Dir}} {{join .GoFiles \",\"}}", module+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if len(f) < 3 {
			continue
		}
		path := strings.TrimPrefix(f[0], module)
		if under(path, "commands") || under(path, "app") || testHelper(path) {
			continue
		}
		for _, name := range strings.Split(f[2], ",") {
			file := filepath.Join(f[1], name)
			calls, err := callsOf(file, "ledgerdesk/commands", "Execute")
			if err != nil {
				t.Fatal(err)
			}
			checked++
			for _, pos := range calls {
				t.Errorf("%s: calls commands.Execute directly; go through the application layer (app.App)", pos)
			}
		}
	}
	if checked < 50 {
		t.Fatalf("only %d files checked", checked)
	}
}

// callsOf finds the calls in file of function fn of the package imported from pkgPath.
func callsOf(file, pkgPath, fn string) ([]string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	local := ""
	for _, imp := range f.Imports {
		if strings.Trim(imp.Path.Value, `"`) == pkgPath {
			local = pkgPath[strings.LastIndex(pkgPath, "/")+1:]
			if imp.Name != nil {
				local = imp.Name.Name
			}
		}
	}
	if local == "" {
		return nil, nil
	}
	var found []string
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != fn {
			return true
		}
		if id, ok := sel.X.(*ast.Ident); ok && id.Name == local {
			found = append(found, fset.Position(sel.Pos()).String())
		}
		return true
	})
	return found, nil
}

func TestCallsOfFindsADirectCall(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "x.go")
	src := "package x\nimport c \"ledgerdesk/commands\"\nfunc f() { _, _ = c.Execute(nil, c.Deps{}, nil, \"s\", nil, c.Metadata{}) }\n"
	if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	calls, err := callsOf(file, "ledgerdesk/commands", "Execute")
	if err != nil || len(calls) != 1 {
		t.Fatalf("found %v (%v), want the one call", calls, err)
	}
}
