package attachmentstore_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"ledgerdesk/adapters/attachmentstore"
	"ledgerdesk/commands/support/attachment"
)

func TestRotationRewrapsEveryTicketsKeysAndTheDocumentsStillOpen(t *testing.T) {
	t.Parallel()
	s1, pool, k1 := newStore(t)
	ctx := context.Background()
	img := tinyPNG(t)
	for i := range 7 {
		put(t, s1, fmt.Sprintf("t%d", i), fmt.Sprintf("a%d-id", i), attachment.ClassIdentity, img)
		put(t, s1, fmt.Sprintf("t%d", i), fmt.Sprintf("a%d-pdf", i), attachment.ClassOther, tinyPDF)
	}
	// A ticket's key wrapped under a master key nobody has any more.
	lost, err := attachmentstore.New(pool, attachmentstore.Config{MasterKey: masterKey(t)})
	if err != nil {
		t.Fatal(err)
	}
	put(t, lost, "tz-lost", "a-lost", attachment.ClassOther, tinyPDF)

	k2 := masterKey(t)
	cctx, cancel := context.WithCancel(ctx)
	_, err = attachmentstore.RotateMasterKey(cctx, pool, k1, k2, 4, func(done, total int64) {
		if total != 15 {
			t.Errorf("progress total %d, want 15", total)
		}
		cancel() // interrupted after the first batch
	})
	cancel()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted rotation: %v", err)
	}
	r, err := attachmentstore.RotateMasterKey(ctx, pool, k1, k2, 4, nil)
	if !errors.Is(err, attachmentstore.ErrKeysUnreadable) {
		t.Fatalf("rotation with a lost key: %v, want ErrKeysUnreadable", err)
	}
	if r.Already != 4 || r.Rewrapped != 10 || r.Unreadable != 1 || len(r.Keys) != 1 || r.Keys[0] != "tz-lost/other" {
		t.Fatalf("the re-run: %+v, want 4 already done, 10 rewrapped, tz-lost/other unreadable", r)
	}

	s2, err := attachmentstore.New(pool, attachmentstore.Config{MasterKey: k2})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 7 {
		for _, id := range []string{fmt.Sprintf("a%d-id", i), fmt.Sprintf("a%d-pdf", i)} {
			if _, err := s2.Open(ctx, fmt.Sprintf("t%d", i), id, "agent-1"); err != nil {
				t.Fatalf("%s under the new key: %v", id, err)
			}
			if _, err := s1.Open(ctx, fmt.Sprintf("t%d", i), id, "agent-1"); !errors.Is(err, attachmentstore.ErrMasterKey) {
				t.Fatalf("%s still opens under the retired key: %v", id, err)
			}
		}
	}
	if _, err := lost.Open(ctx, "tz-lost", "a-lost", "agent-1"); err != nil {
		t.Fatalf("the key the rotation could not read was changed: %v", err)
	}
	if _, err := attachmentstore.RotateMasterKey(ctx, pool, k1, nil, 0, nil); !errors.Is(err, attachmentstore.ErrMasterKey) {
		t.Fatalf("rotating to no key: %v", err)
	}
}
