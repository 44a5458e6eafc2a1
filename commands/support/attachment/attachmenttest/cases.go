package attachmenttest

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"strings"
	"sync"
	"testing"

	"ledgerdesk/commands/support/attachment"
)

const racers = 8

var putCases = []testCase{
	{"WhatIsPutReadsBackWithItsSniffedType", func(t *testing.T, f *fixture) {
		tk, img := f.id("t"), tinyPNG(t)
		st := f.put(tk, f.id("photo"), attachment.ClassIdentity, img)
		if want := (attachment.Stored{ContentType: "image/png", Size: int64(len(img)), SHA256: sha256.Sum256(img)}); st != want {
			t.Fatalf("stored %+v, want %+v", st, want)
		}
		if st := f.put(tk, f.id("scan"), attachment.ClassOther, tinyPDF); st.ContentType != "application/pdf" || st.Size != int64(len(tinyPDF)) {
			t.Fatalf("stored %+v", st)
		}
		f.wantOpen(tk, f.id("photo"), "image/png", img)
		f.wantOpen(tk, f.id("scan"), "application/pdf", tinyPDF)
	}},
	{"TheStoreKeepsItsOwnCopy", func(t *testing.T, f *fixture) {
		tk, img := f.id("t"), tinyPNG(t)
		given := bytes.Clone(img)
		f.put(tk, f.id("a"), attachment.ClassOther, given)
		clear(given)
		doc := f.open(tk, f.id("a"), "agent-1")
		clear(doc.Content)
		f.wantOpen(tk, f.id("a"), "image/png", img)
	}},
	{"ARetriedPutReturnsTheSameStored", func(t *testing.T, f *fixture) {
		tk, img := f.id("t"), tinyPNG(t)
		first := f.put(tk, f.id("a"), attachment.ClassIdentity, img)
		if again := f.put(tk, f.id("a"), attachment.ClassIdentity, bytes.Clone(img)); again != first {
			t.Fatalf("retry stored %+v, first %+v", again, first)
		}
		f.wantOpen(tk, f.id("a"), "image/png", img)
	}},
	{"OtherContentUnderAUsedIDIsErrExists", func(t *testing.T, f *fixture) {
		tk, img := f.id("t"), tinyPNG(t)
		f.put(tk, f.id("a"), attachment.ClassIdentity, img)
		_, err := f.store.Put(f.ctx, attachment.Upload{TicketID: tk, AttachmentID: f.id("a"), Class: attachment.ClassIdentity, Content: tinyPDF})
		f.wantErr("other content", err, attachment.ErrExists)
		f.wantOpen(tk, f.id("a"), "image/png", img)
	}},
	{"AUsedIDOnAnotherTicketIsErrExists", func(t *testing.T, f *fixture) {
		img := tinyPNG(t)
		f.put(f.id("t1"), f.id("a"), attachment.ClassIdentity, img)
		_, err := f.store.Put(f.ctx, attachment.Upload{TicketID: f.id("t2"), AttachmentID: f.id("a"), Class: attachment.ClassIdentity, Content: img})
		f.wantErr("same id, another ticket", err, attachment.ErrExists)
		_, err = f.store.Open(f.ctx, f.id("t2"), f.id("a"), "agent-1")
		f.wantErr("open through the other ticket", err, attachment.ErrNotFound)
	}},
	{"RacingRetriesAllSucceed", func(t *testing.T, f *fixture) {
		tk, img := f.id("t"), tinyPNG(t)
		results := race(func(int) (attachment.Stored, error) {
			return f.store.Put(f.ctx, attachment.Upload{TicketID: tk, AttachmentID: f.id("a"), Class: attachment.ClassIdentity, Content: img})
		})
		for _, r := range results {
			if r.err != nil || r.stored != results[0].stored {
				t.Fatalf("racing retry: %+v, %v; first %+v", r.stored, r.err, results[0].stored)
			}
		}
		f.wantOpen(tk, f.id("a"), "image/png", img)
	}},
	{"OfRacingPutsOfOtherContentOneWins", func(t *testing.T, f *fixture) {
		tk := f.id("t")
		contents := make([][]byte, racers)
		for i := range contents {
			contents[i] = append(bytes.Clone(tinyPDF), strings.Repeat("%", i+1)...)
		}
		results := race(func(i int) (attachment.Stored, error) {
			return f.store.Put(f.ctx, attachment.Upload{TicketID: tk, AttachmentID: f.id("a"), Class: attachment.ClassOther, Content: contents[i]})
		})
		winner := -1
		for i, r := range results {
			switch {
			case r.err == nil && winner >= 0:
				t.Fatalf("puts %d and %d of different content both succeeded", winner, i)
			case r.err == nil:
				winner = i
			case !errors.Is(r.err, attachment.ErrExists):
				t.Fatalf("put %d: %v, want success or ErrExists", i, r.err)
			}
		}
		if winner < 0 {
			t.Fatal("no put won")
		}
		f.wantOpen(tk, f.id("a"), "application/pdf", contents[winner])
	}},
}

var refusalCases = []testCase{
	{"UnsupportedTypesAreRefusedAndNothingIsKept", func(t *testing.T, f *fixture) {
		tk := f.id("t")
		for name, content := range map[string][]byte{
			"html":  []byte("<html><script>alert(1)</script></html>"),
			"svg":   []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>`),
			"exe":   append([]byte("MZ\x90\x00"), make([]byte, 64)...),
			"empty": nil,
			// A signature is not a file: each of these starts as an accepted type and is not one.
			"png-signature-then-html": append([]byte("\x89PNG\r\n\x1a\n"), "<html><script>alert(1)</script></html>"...),
			"png-then-html":           append(tinyPNG(t), "<html><script>alert(1)</script></html>"...),
			"jpeg-signature-only":     append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, make([]byte, 64)...),
			"pdf-with-javascript":     pdfWith("/OpenAction<</S/JavaScript/JS(app.alert(1))>>"),
			"pdf-with-escaped-js":     pdfWith("/OpenAction<</S/J#61vaScript/J#53(app.alert(1))>>"),
			"pdf-with-launch":         pdfWith("/OpenAction<</S/Launch/F(cmd.exe)>>"),
			"truncated-pdf":           tinyPDF[:len(tinyPDF)/2],
		} {
			_, err := f.store.Put(f.ctx, attachment.Upload{TicketID: tk, AttachmentID: f.id(name), Class: attachment.ClassOther, Content: content})
			f.wantErr(name, err, attachment.ErrUnsupportedType)
			f.nothingKept(tk, f.id(name))
		}
	}},
	{"TooLargeIsRefusedAndNothingIsKept", func(t *testing.T, f *fixture) {
		tk := f.id("t")
		big := paddedPDF(attachment.MaxSize + 1)
		_, err := f.store.Put(f.ctx, attachment.Upload{TicketID: tk, AttachmentID: f.id("big"), Class: attachment.ClassIdentity, Content: big})
		f.wantErr("oversized", err, attachment.ErrTooLarge)
		f.nothingKept(tk, f.id("big"))
		atLimit := paddedPDF(attachment.MaxSize)
		f.put(tk, f.id("limit"), attachment.ClassIdentity, atLimit)
		f.wantOpen(tk, f.id("limit"), "application/pdf", atLimit)
	}},
	{"MalformedUploadsAreErrInvalidAndNothingIsKept", func(t *testing.T, f *fixture) {
		tk, a := f.id("t"), f.id("a")
		for name, u := range map[string]attachment.Upload{
			"no ticket":         {AttachmentID: a, Class: attachment.ClassOther, Content: tinyPDF},
			"no attachment":     {TicketID: tk, Class: attachment.ClassOther, Content: tinyPDF},
			"spaced id":         {TicketID: tk, AttachmentID: a + " b", Class: attachment.ClassOther, Content: tinyPDF},
			"control char":      {TicketID: tk + "\n", AttachmentID: a, Class: attachment.ClassOther, Content: tinyPDF},
			"quote in id":       {TicketID: tk, AttachmentID: a + `"`, Class: attachment.ClassOther, Content: tinyPDF},
			"nul in id":         {TicketID: tk, AttachmentID: a + "\x00", Class: attachment.ClassOther, Content: tinyPDF},
			"overlong id":       {TicketID: tk, AttachmentID: a + strings.Repeat("x", attachment.MaxIDLength), Class: attachment.ClassOther, Content: tinyPDF},
			"no class":          {TicketID: tk, AttachmentID: a, Content: tinyPDF},
			"unknown class":     {TicketID: tk, AttachmentID: a, Class: "secret", Content: tinyPDF},
			"class in capitals": {TicketID: tk, AttachmentID: a, Class: "Identity", Content: tinyPDF},
		} {
			_, err := f.store.Put(f.ctx, u)
			f.wantErr(name, err, attachment.ErrInvalid)
		}
		f.nothingKept(tk, a)
	}},
}

var openCases = []testCase{
	{"AnIDNeverKeptIsErrNotFound", func(t *testing.T, f *fixture) {
		_, err := f.store.Open(f.ctx, f.id("t"), f.id("never"), "agent-1")
		f.wantErr("unknown id", err, attachment.ErrNotFound)
		if rs := f.reads(f.id("never")); len(rs) != 0 {
			t.Fatalf("read log of an unknown id: %+v", rs)
		}
	}},
	{"ThroughAnotherTicketIsErrNotFoundAndNotLogged", func(t *testing.T, f *fixture) {
		img := tinyPNG(t)
		f.put(f.id("t1"), f.id("a"), attachment.ClassIdentity, img)
		_, err := f.store.Open(f.ctx, f.id("t2"), f.id("a"), "agent-1")
		f.wantErr("another ticket", err, attachment.ErrNotFound)
		if rs := f.reads(f.id("a")); len(rs) != 0 {
			t.Fatalf("a refused open was logged: %+v", rs)
		}
	}},
	{"EveryReadIsLoggedInOrder", func(t *testing.T, f *fixture) {
		tk := f.id("t")
		f.put(tk, f.id("a"), attachment.ClassIdentity, tinyPDF)
		f.put(tk, f.id("b"), attachment.ClassOther, tinyPDF)
		readers := []string{"agent-1", "agent-1", "agent-2"}
		for _, r := range readers {
			f.open(tk, f.id("a"), r)
		}
		f.open(tk, f.id("b"), "agent-3")
		rs := f.reads(f.id("a"))
		if len(rs) != len(readers) {
			t.Fatalf("read log %+v, want %d reads", rs, len(readers))
		}
		for i, r := range rs {
			if r.Reader != readers[i] || r.TicketID != tk || r.AttachmentID != f.id("a") || r.At.IsZero() {
				t.Fatalf("read %d is %+v, want %s reading %s on %s", i, r, readers[i], f.id("a"), tk)
			}
			if i > 0 && r.At.Before(rs[i-1].At) {
				t.Fatalf("read log out of order: %+v", rs)
			}
		}
		if rs := f.reads(f.id("b")); len(rs) != 1 || rs[0].Reader != "agent-3" {
			t.Fatalf("read log of the other attachment %+v", rs)
		}
	}},
	{"AnAnonymousReadIsErrInvalidAndNotLogged", func(t *testing.T, f *fixture) {
		tk := f.id("t")
		f.put(tk, f.id("a"), attachment.ClassIdentity, tinyPDF)
		for _, reader := range []string{"", " ", "\t"} {
			_, err := f.store.Open(f.ctx, tk, f.id("a"), reader)
			f.wantErr("anonymous read", err, attachment.ErrInvalid)
		}
		if rs := f.reads(f.id("a")); len(rs) != 0 {
			t.Fatalf("anonymous reads were logged: %+v", rs)
		}
	}},
	{"MalformedIDsAreErrInvalid", func(t *testing.T, f *fixture) {
		for name, ids := range map[string][2]string{"no ticket": {"", f.id("a")}, "no attachment": {f.id("t"), ""}, "spaced": {f.id("t"), "a b"}} {
			_, err := f.store.Open(f.ctx, ids[0], ids[1], "agent-1")
			f.wantErr(name, err, attachment.ErrInvalid)
		}
	}},
}

var destroyCases = []testCase{
	{"ADestroyedAttachmentIsGoneForGood", func(t *testing.T, f *fixture) {
		tk, img := f.id("t"), tinyPNG(t)
		f.put(tk, f.id("passport"), attachment.ClassIdentity, img)
		if err := f.store.Destroy(f.ctx, tk, f.id("passport")); err != nil {
			t.Fatal(err)
		}
		_, err := f.store.Open(f.ctx, tk, f.id("passport"), "agent-1")
		f.wantErr("open destroyed", err, attachment.ErrDestroyed)
		_, err = f.store.Put(f.ctx, attachment.Upload{TicketID: tk, AttachmentID: f.id("passport"), Class: attachment.ClassIdentity, Content: img})
		f.wantErr("put the same file again under a destroyed id", err, attachment.ErrDestroyed)
		_, err = f.store.Open(f.ctx, tk, f.id("passport"), "agent-1")
		f.wantErr("open destroyed after a put", err, attachment.ErrDestroyed)
	}},
	{"DestroyingTwiceOrWhatWasNeverKeptSucceeds", func(t *testing.T, f *fixture) {
		tk := f.id("t")
		f.put(tk, f.id("a"), attachment.ClassIdentity, tinyPDF)
		for range 2 {
			if err := f.store.Destroy(f.ctx, tk, f.id("a")); err != nil {
				t.Fatalf("destroying: %v", err)
			}
		}
		if err := f.store.Destroy(f.ctx, tk, f.id("never")); err != nil {
			t.Fatalf("destroying what was never kept: %v", err)
		}
		// An upload that failed half way and was cleaned up cannot come back under its id.
		_, err := f.store.Put(f.ctx, attachment.Upload{TicketID: tk, AttachmentID: f.id("never"), Class: attachment.ClassIdentity, Content: tinyPDF})
		f.wantErr("put under an id destroyed before it held bytes", err, attachment.ErrDestroyed)
	}},
	{"OtherAttachmentsStayReadable", func(t *testing.T, f *fixture) {
		tk, img := f.id("t"), tinyPNG(t)
		f.put(tk, f.id("passport"), attachment.ClassIdentity, img)
		f.put(tk, f.id("bill"), attachment.ClassIdentity, tinyPDF)
		f.put(tk, f.id("screenshot"), attachment.ClassOther, img)
		f.put(f.id("t2"), f.id("their-passport"), attachment.ClassIdentity, img)
		if err := f.store.Destroy(f.ctx, tk, f.id("passport")); err != nil {
			t.Fatal(err)
		}
		f.wantOpen(tk, f.id("bill"), "application/pdf", tinyPDF)
		if err := f.store.Destroy(f.ctx, tk, f.id("bill")); err != nil {
			t.Fatal(err)
		}
		_, err := f.store.Open(f.ctx, tk, f.id("bill"), "agent-1")
		f.wantErr("open the last identity document destroyed", err, attachment.ErrDestroyed)
		f.wantOpen(tk, f.id("screenshot"), "image/png", img)
		f.wantOpen(f.id("t2"), f.id("their-passport"), "image/png", img)
		// The ticket can still take new files of either class.
		f.put(tk, f.id("new-passport"), attachment.ClassIdentity, img)
		f.wantOpen(tk, f.id("new-passport"), "image/png", img)
	}},
	{"MalformedIDsAreErrInvalid", func(t *testing.T, f *fixture) {
		for name, ids := range map[string][2]string{"no ticket": {"", f.id("a")}, "no attachment": {f.id("t"), ""}, "spaced": {f.id("t"), "a b"}} {
			f.wantErr(name, f.store.Destroy(f.ctx, ids[0], ids[1]), attachment.ErrInvalid)
		}
	}},
}

var atRestCases = []testCase{
	{"NoDocumentIsKeptInTheClear", func(t *testing.T, f *fixture) {
		raw, ok := f.store.(AtRest)
		if !ok {
			t.Skip("the store does not show what it holds at rest")
		}
		tk, img := f.id("t"), tinyPNG(t)
		f.put(tk, f.id("photo"), attachment.ClassIdentity, img)
		f.put(tk, f.id("scan"), attachment.ClassOther, tinyPDF)
		for id, plain := range map[string][]byte{f.id("photo"): img[8:24], f.id("scan"): []byte("%PDF")} {
			held := raw.AtRest(t, id)
			if len(held) == 0 {
				t.Fatalf("nothing held at rest for %s", id)
			}
			if bytes.Contains(held, plain) {
				t.Fatalf("%s is readable at rest", id)
			}
		}
	}},
}

type putResult struct {
	stored attachment.Stored
	err    error
}

// race calls put from racers goroutines at once.
func race(put func(i int) (attachment.Stored, error)) []putResult {
	out := make([]putResult, racers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range out {
		wg.Go(func() {
			<-start
			st, err := put(i)
			out[i] = putResult{st, err}
		})
	}
	close(start)
	wg.Wait()
	return out
}
