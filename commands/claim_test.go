package commands_test

import (
	"errors"
	"testing"

	"ledgerdesk/commands"
	"ledgerdesk/domain/account"
)

func TestANameCanBeClaimedOnlyOnce(t *testing.T) {
	deps, store := memDeps(t)
	stream := account.EmailReservationStream(account.Realm("portal"), "jane@example.org")
	m := meta()
	if err := commands.Claim(ctx, deps, stream, "acc-1", m); err != nil {
		t.Fatal(err)
	}
	if err := commands.Claim(ctx, deps, stream, "acc-1", m); err != nil {
		t.Fatalf("retrying the same claim: %v", err)
	}
	err := commands.Claim(ctx, deps, stream, "acc-2", meta())
	var claimed *commands.ClaimedError
	if !errors.As(err, &claimed) || !errors.Is(err, commands.ErrAlreadyClaimed) || claimed.Owner != "acc-1" {
		t.Fatalf("second claimant: got %v, want a ClaimedError naming acc-1", err)
	}
	if n := len(readAll(t, store, stream)); n != 1 {
		t.Fatalf("the claim stream holds %d events", n)
	}
	// The other realm is another name.
	if err := commands.Claim(ctx, deps, account.EmailReservationStream(account.Realm("support"), "jane@example.org"), "acc-3", meta()); err != nil {
		t.Fatal(err)
	}
}

func TestOneCommandMayClaimANameAndWriteItsAggregate(t *testing.T) {
	deps, _ := memDeps(t)
	m := meta()
	if err := commands.Claim(ctx, deps, "emailclaim-x", "1", m); err != nil {
		t.Fatal(err)
	}
	if _, err := commands.Execute(ctx, deps, counter, "counter-1", counterCommand(Add{CounterID: "1", By: 1}), m); err != nil {
		t.Fatalf("the same command id on the aggregate's stream: %v", err)
	}
}

func TestAClaimNeedsAStreamAnOwnerAndMetadata(t *testing.T) {
	deps, _ := memDeps(t)
	if err := commands.Claim(ctx, deps, "", "acc-1", meta()); err == nil {
		t.Error("no stream, no error")
	}
	if err := commands.Claim(ctx, deps, "emailclaim-x", "", meta()); err == nil {
		t.Error("no owner, no error")
	}
	if err := commands.Claim(ctx, deps, "emailclaim-x", "acc-1", commands.Metadata{}); !errors.Is(err, commands.ErrInvalidMetadata) {
		t.Errorf("no metadata: %v", err)
	}
}
