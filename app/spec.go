package app

import (
	"fmt"
	"sort"

	"ledgerdesk/app/authz"
)

// Kind says whether an operation changes anything.
type Kind string

const (
	Command Kind = "command"
	Query   Kind = "query"
)

// Spec is what the application layer knows about an operation before running it.
type Spec struct {
	// Action names it in logs, metrics, rules and error messages: "invoice.raise".
	Action string
	Kind   Kind
	// Rule is who may run it, and how far each role reaches.
	Rule authz.Rule
}

func command(action string, rule authz.Rule) Spec {
	return Spec{Action: action, Kind: Command, Rule: rule}
}

func query(action string, rule authz.Rule) Spec {
	return Spec{Action: action, Kind: Query, Rule: rule}
}

// catalogue is every operation's spec by action, filled as the specs are declared, so that
// tests and help texts can list them and two operations cannot share a name.
var catalogue = map[string]Spec{}

func declare(s Spec) Spec {
	if _, dup := catalogue[s.Action]; dup {
		panic(fmt.Sprintf("app: two operations named %q", s.Action))
	}
	if s.Action == "" || len(s.Rule) == 0 {
		panic(fmt.Sprintf("app: operation %q needs an action and a rule", s.Action))
	}
	catalogue[s.Action] = s
	return s
}

// Operations lists every operation's spec, by action.
func Operations() []Spec {
	out := make([]Spec, 0, len(catalogue))
	for _, s := range catalogue {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Action < out[j].Action })
	return out
}

// Lookup is the spec of the named action.
func Lookup(action string) (Spec, bool) {
	s, ok := catalogue[action]
	return s, ok
}

// Allowed says whether role may run action on some record: what a menu or a page needs
// before it knows the records.
func Allowed(role authz.Role, action string) bool {
	s, ok := catalogue[action]
	return ok && s.Rule.Allows(role)
}
