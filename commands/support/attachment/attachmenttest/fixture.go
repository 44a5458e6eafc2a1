package attachmenttest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"testing"
	"time"

	"ledgerdesk/commands/support/attachment"
)

// subTestTimeout bounds every call a sub-test makes, so a broken store fails, not hangs.
const subTestTimeout = 30 * time.Second

// fixture is one sub-test's store, deadline and id prefix.
type fixture struct {
	t      *testing.T
	store  Store
	ctx    context.Context
	prefix string
}

func newFixture(t *testing.T, newStore NewStore) *fixture {
	t.Helper()
	s := newStore(t)
	if s == nil {
		t.Fatal("newStore returned nil")
	}
	ctx, cancel := context.WithTimeout(t.Context(), subTestTimeout)
	t.Cleanup(cancel)
	return &fixture{t: t, store: s, ctx: ctx, prefix: fmt.Sprintf("conf%016x-", rand.Uint64())}
}

// id is a ticket or attachment id of this sub-test's own.
func (f *fixture) id(name string) string { return f.prefix + name }

func (f *fixture) put(ticketID, id string, class attachment.Class, content []byte) attachment.Stored {
	f.t.Helper()
	st, err := f.store.Put(f.ctx, attachment.Upload{TicketID: ticketID, AttachmentID: id, Class: class, Content: content})
	if err != nil {
		f.t.Fatalf("put %s: %v", id, err)
	}
	return st
}

func (f *fixture) open(ticketID, id, reader string) attachment.Document {
	f.t.Helper()
	doc, err := f.store.Open(f.ctx, ticketID, id, reader)
	if err != nil {
		f.t.Fatalf("open %s: %v", id, err)
	}
	return doc
}

// wantOpen checks the attachment reads back as content of type ct.
func (f *fixture) wantOpen(ticketID, id string, ct string, content []byte) {
	f.t.Helper()
	doc := f.open(ticketID, id, "agent-1")
	if doc.ContentType != ct || !bytes.Equal(doc.Content, content) || doc.TicketID != ticketID || doc.AttachmentID != id {
		f.t.Fatalf("opened %s: %s, %d bytes, ticket %q id %q; want %s, %d bytes", id, doc.ContentType, len(doc.Content), doc.TicketID, doc.AttachmentID, ct, len(content))
	}
}

// wantErr checks err matches want.
func (f *fixture) wantErr(what string, err, want error) {
	f.t.Helper()
	if !errors.Is(err, want) {
		f.t.Fatalf("%s: error %v, want %v", what, err, want)
	}
}

// reads is the read log of id.
func (f *fixture) reads(id string) []attachment.Read {
	f.t.Helper()
	rs, err := f.store.Reads(f.ctx, id)
	if err != nil {
		f.t.Fatalf("reads of %s: %v", id, err)
	}
	return rs
}

// nothingKept checks that nothing is held or logged under id for ticketID.
func (f *fixture) nothingKept(ticketID, id string) {
	f.t.Helper()
	_, err := f.store.Open(f.ctx, ticketID, id, "agent-1")
	f.wantErr("open after a refusal", err, attachment.ErrNotFound)
	if rs := f.reads(id); len(rs) != 0 {
		f.t.Fatalf("read log of %s after a refused request: %+v", id, rs)
	}
}

// tinyPNG is a real 2×2 PNG, as a phone would send (only smaller).
func tinyPNG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, color.RGBA{G: 180, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// tinyPDF is a minimal well-formed PDF: one empty page.
var tinyPDF = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
	"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

// paddedPDF is tinyPDF grown to exactly n bytes by a comment after its header.
func paddedPDF(n int) []byte {
	const header = "%PDF-1.4\n"
	body := tinyPDF[len(header):]
	pad := n - len(tinyPDF) - 2
	out := make([]byte, 0, n)
	out = append(out, header+"%"...)
	out = append(out, bytes.Repeat([]byte("x"), pad)...)
	out = append(out, '\n')
	return append(out, body...)
}

// pdfWith is tinyPDF whose catalog also holds entries.
func pdfWith(entries string) []byte {
	return bytes.Replace(tinyPDF, []byte("/Type/Catalog"), []byte("/Type/Catalog"+entries), 1)
}
