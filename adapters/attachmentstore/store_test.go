package attachmentstore_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"image"
	"image/color"
	"image/png"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/adapters/attachments"
	"ledgerdesk/adapters/attachmentstore"
	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/commands/support/attachment"
)

// tinyPNG is a real 2×2 PNG, as a phone would send (only smaller).
func tinyPNG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, color.RGBA{R: 200, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// tinyPDF is a minimal well-formed PDF: one empty page.
var tinyPDF = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
	"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

// What the port promises (round trips, the read log, refusals, retries, destruction) is
// checked by the conformance suite (conformance_test.go); these tests are about what only
// this adapter does: the master key, the data keys, and the tables behind them.

func masterKey(t testing.TB) []byte {
	t.Helper()
	k, err := attachments.NewKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func newStore(t *testing.T) (*attachmentstore.Store, *pgxpool.Pool, []byte) {
	t.Helper()
	pool := pgtest.NewPool(t)
	master := masterKey(t)
	s, err := attachmentstore.New(pool, attachmentstore.Config{MasterKey: master})
	if err != nil {
		t.Fatal(err)
	}
	return s, pool, master
}

func put(t *testing.T, s *attachmentstore.Store, ticketID, id string, class attachment.Class, content []byte) attachment.Stored {
	t.Helper()
	st, err := s.Put(context.Background(), attachment.Upload{TicketID: ticketID, AttachmentID: id, Class: class, Content: content})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestNothingIsReadableAtRestWithoutTheMasterKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool, _ := newStore(t)
	img := tinyPNG(t)
	put(t, s, "t1", "a1", attachment.ClassIdentity, img)
	var sealed, wrapped []byte
	if err := pool.QueryRow(ctx, `SELECT b.sealed, k.wrapped_key FROM attachment_blobs b JOIN attachment_keys k USING (ticket_id, class)`).Scan(&sealed, &wrapped); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, img[8:24]) {
		t.Fatal("the document's bytes are visible at rest")
	}
	other, err := attachmentstore.New(pool, attachmentstore.Config{MasterKey: masterKey(t)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Open(ctx, "t1", "a1", "agent-1"); !errors.Is(err, attachmentstore.ErrMasterKey) {
		t.Fatalf("opened with another master key: %v", err)
	}
	// A sealed blob copied under another attachment's id does not open.
	put(t, s, "t1", "a2", attachment.ClassIdentity, tinyPDF)
	if _, err := pool.Exec(ctx, `UPDATE attachment_blobs SET sealed = $1 WHERE attachment_id = 'a2'`, sealed); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Open(ctx, "t1", "a2", "agent-1"); !errors.Is(err, attachments.ErrDecrypt) {
		t.Fatalf("swapped blob: %v", err)
	}
	if _, err := attachmentstore.New(pool, attachmentstore.Config{MasterKey: make([]byte, 16)}); !errors.Is(err, attachmentstore.ErrMasterKey) {
		t.Fatalf("short master key: %v", err)
	}
	if _, err := attachmentstore.New(pool, attachmentstore.Config{}); !errors.Is(err, attachmentstore.ErrMasterKey) {
		t.Fatalf("no master key: %v", err)
	}
}

func TestDestroyingTheLastIdentityDocumentDeletesItsBytesAndKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _, _ := newStore(t)
	img := tinyPNG(t)
	put(t, s, "t1", "passport", attachment.ClassIdentity, img)
	put(t, s, "t1", "bill", attachment.ClassIdentity, tinyPDF)
	put(t, s, "t1", "screenshot", attachment.ClassOther, img)

	if err := s.Destroy(ctx, "t1", "passport"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.HasKey(ctx, "t1", attachment.ClassIdentity); !ok {
		t.Fatal("identity key deleted while the bill still needs it")
	}
	if _, err := s.Open(ctx, "t1", "bill", "agent-1"); err != nil {
		t.Fatalf("bill unreadable after the passport went: %v", err)
	}
	if err := s.Destroy(ctx, "t1", "bill"); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"passport", "bill"} {
		if ok, err := s.Exists(ctx, id); ok || err != nil {
			t.Fatalf("%s bytes still held (%v)", id, err)
		}
		if _, err := s.Open(ctx, "t1", id, "agent-1"); !errors.Is(err, attachment.ErrDestroyed) {
			t.Fatalf("open destroyed %s: %v", id, err)
		}
		if _, err := s.Put(ctx, attachment.Upload{TicketID: "t1", AttachmentID: id, Class: attachment.ClassIdentity, Content: img}); !errors.Is(err, attachment.ErrDestroyed) {
			t.Fatalf("reusing destroyed id %s: %v", id, err)
		}
	}
	if ok, _ := s.HasKey(ctx, "t1", attachment.ClassIdentity); ok {
		t.Fatal("identity key kept after the last identity document was destroyed")
	}
	if ok, _ := s.HasKey(ctx, "t1", attachment.ClassOther); !ok {
		t.Fatal("the other attachments' key went with the identity documents")
	}
	if doc, err := s.Open(ctx, "t1", "screenshot", "agent-1"); err != nil || !bytes.Equal(doc.Content, img) {
		t.Fatalf("screenshot after destruction: %v", err)
	}
	if err := s.Destroy(ctx, "t1", "bill"); err != nil {
		t.Fatalf("destroying twice: %v", err)
	}
	if err := s.Destroy(ctx, "t1", "never-stored"); err != nil {
		t.Fatalf("destroying what was never stored: %v", err)
	}
}

func TestTheReadLogCannotBeEdited(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool, _ := newStore(t)
	put(t, s, "t1", "a1", attachment.ClassIdentity, tinyPDF)
	if _, err := s.Open(ctx, "t1", "a1", "agent-1"); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{`UPDATE attachment_reads SET reader = 'nobody'`, `DELETE FROM attachment_reads`, `TRUNCATE attachment_reads`} {
		if _, err := pool.Exec(ctx, sql); err == nil {
			t.Errorf("%s succeeded", sql)
		}
	}
}
