package commands_test

import (
	"bytes"
	"testing"

	"github.com/google/uuid"

	"ledgerdesk/commands"
)

func TestEventIDsAreV7ShapedAndDeterministic(t *testing.T) {
	cmd := commands.NewCommandID()
	seen := map[uuid.UUID]string{}
	for _, stream := range []string{"counter-1", "counter-2", "emailclaim-x"} {
		for i := range 50 {
			id := commands.EventID(cmd, stream, i)
			if id != commands.EventID(cmd, stream, i) {
				t.Fatal("EventID is not deterministic")
			}
			if id.Version() != 7 || id.Variant() != uuid.RFC4122 {
				t.Fatalf("%s is not a v7 UUID", id)
			}
			if !bytes.Equal(id[:6], cmd[:6]) {
				t.Fatalf("%s does not keep the command's timestamp %s", id, cmd)
			}
			if prev, dup := seen[id]; dup {
				t.Fatalf("%s repeats the id of %s", id, prev)
			}
			seen[id] = stream
		}
	}
	if commands.EventID(commands.NewCommandID(), "counter-1", 0) == commands.EventID(cmd, "counter-1", 0) {
		t.Fatal("two commands share an event id")
	}
}

func TestDerivedCommandIDsAreStablePerCauseAndPurpose(t *testing.T) {
	cause := commands.NewCommandID()
	a := commands.DerivedCommandID(cause, "accrue")
	if a != commands.DerivedCommandID(cause, "accrue") {
		t.Fatal("not deterministic")
	}
	if a == commands.DerivedCommandID(cause, "release") || a == commands.DerivedCommandID(commands.NewCommandID(), "accrue") {
		t.Fatal("different causes or purposes share a command id")
	}
	if a.Version() != 7 || !bytes.Equal(a[:6], cause[:6]) {
		t.Fatalf("%s is not v7 with the cause's timestamp", a)
	}
	if _, err := commands.Execute(ctx, must(memDeps(t)), counter, "counter-1", counterCommand(Look{}), commands.Metadata{CommandID: a, Actor: "policy:test"}); err != nil {
		t.Fatalf("a derived command id is refused: %v", err)
	}
}

func must[A, B any](a A, _ B) A { return a }
