package attachment_test

import (
	"bytes"
	"compress/zlib"
	"errors"
	stdjpeg "image/jpeg"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"ledgerdesk/commands/support/attachment"
)

func TestAPNGThatContinuesAsHTMLIsRefused(t *testing.T) {
	html := "<html><body><script>alert(document.cookie)</script></body></html>"
	for name, content := range map[string][]byte{
		"signature then html":  append([]byte("\x89PNG\r\n\x1a\n"), html...),
		"whole png then html":  append(bytes.Clone(png), html...),
		"jpeg signature, html": append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, html...),
	} {
		if _, err := attachment.Sniff(content); !errors.Is(err, attachment.ErrUnsupportedType) {
			t.Errorf("%s: Sniff = %v, want ErrUnsupportedType", name, err)
		}
		if _, _, err := attachment.Normalize(content); !errors.Is(err, attachment.ErrUnsupportedType) {
			t.Errorf("%s: Normalize = %v, want ErrUnsupportedType", name, err)
		}
	}
}

// withEXIF puts an APP1 Exif segment holding a GPS IFD (latitude 51°N) right after the
// JPEG's SOI, where a phone writes it.
func withEXIF(j []byte) []byte {
	tiff := []byte("MM\x00\x2a\x00\x00\x00\x08" + // big-endian TIFF, IFD0 at 8
		"\x00\x01" + "\x88\x25\x00\x04\x00\x00\x00\x01\x00\x00\x00\x1a" + "\x00\x00\x00\x00" + // IFD0: GPSInfo → 26
		"\x00\x01" + "\x00\x01\x00\x02\x00\x00\x00\x02N\x00\x00\x00" + "\x00\x00\x00\x00") // GPS IFD: GPSLatitudeRef "N"
	seg := append([]byte("Exif\x00\x00"), tiff...)
	app1 := append([]byte{0xFF, 0xE1, byte((len(seg) + 2) >> 8), byte(len(seg) + 2)}, seg...)
	return append(append(bytes.Clone(j[:2]), app1...), j[2:]...)
}

func TestAJPEGComesBackWithoutItsEXIFLocation(t *testing.T) {
	in := withEXIF(jpeg)
	if ct, err := attachment.Sniff(in); err != nil || ct != "image/jpeg" {
		t.Fatalf("the photo with EXIF: %q %v", ct, err)
	}
	ct, out, err := attachment.Normalize(in)
	if err != nil || ct != "image/jpeg" {
		t.Fatalf("Normalize: %q %v", ct, err)
	}
	if bytes.Contains(out, []byte("Exif")) || bytes.Contains(out, []byte{0xFF, 0xE1}) || bytes.Contains(out, []byte("MM\x00\x2a")) {
		t.Fatalf("the re-encoded photo still holds EXIF: % x", out[:min(len(out), 64)])
	}
	if _, err := stdjpeg.Decode(bytes.NewReader(out)); err != nil {
		t.Fatalf("the re-encoded photo does not decode: %v", err)
	}
	if _, again, _ := attachment.Normalize(in); !bytes.Equal(again, out) {
		t.Fatal("Normalize is not deterministic: a retried upload would differ")
	}
}

func TestImagesAreWrittenAgainAndPDFsKeptAsTheyAre(t *testing.T) {
	for name, c := range map[string]struct {
		in []byte
		ct string
	}{"png": {png, "image/png"}, "webp": {webp, "image/png"}, "pdf": {pdf, "application/pdf"}} {
		ct, out, err := attachment.Normalize(c.in)
		if err != nil || ct != c.ct {
			t.Errorf("%s: %q %v, want %s", name, ct, err, c.ct)
			continue
		}
		if got, err := attachment.Sniff(out); err != nil || got != ct {
			t.Errorf("%s: the result sniffs as %q %v", name, got, err)
		}
		if name == "pdf" && !bytes.Equal(out, c.in) {
			t.Errorf("the PDF was changed")
		}
	}
}

func flate(s string) string {
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	_, _ = w.Write([]byte(s))
	_ = w.Close()
	return b.String()
}

func TestPDFsWithScriptOrLaunchActionsOrTruncatedAreRefused(t *testing.T) {
	catalog := func(entries string) []byte {
		return bytes.Replace(pdf, []byte("/Type /Catalog"), []byte("/Type /Catalog "+entries), 1)
	}
	objStm := flate("<< /S /JavaScript /JS (app.launchURL('https://evil.example')) >>")
	for name, content := range map[string][]byte{
		"javascript action": catalog("/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
		"escaped name":      catalog("/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>"),
		"names tree":        catalog("/Names << /JavaScript 9 0 R >>"),
		"launch action":     catalog("/OpenAction << /S /Launch /F (cmd.exe) >>"),
		"embedded file":     catalog("/Names << /EmbeddedFiles 9 0 R >>"),
		"script in a compressed object stream": bytes.Replace(pdf, []byte("trailer"),
			[]byte("3 0 obj\n<< /Type /ObjStm /Filter /FlateDecode /Length "+strconv.Itoa(len(objStm))+" >>\nstream\n"+objStm+"\nendstream\nendobj\ntrailer"), 1),
		"truncated":      pdf[:len(pdf)/2],
		"no eof":         bytes.TrimSuffix(pdf, []byte("%%EOF\n")),
		"no trailer":     []byte("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"),
		"unended stream": bytes.Replace(pdf, []byte("trailer"), []byte("4 0 obj\n<< /Length 5 >>\nstream\nhello\nendobj\ntrailer"), 1),
	} {
		if _, err := attachment.Sniff(content); !errors.Is(err, attachment.ErrUnsupportedType) {
			t.Errorf("%s: Sniff = %v, want ErrUnsupportedType", name, err)
		}
	}
}

func TestADocumentIsServedOnlyAsItsSniffedTypeSandboxedAndAsADownload(t *testing.T) {
	for ct, want := range map[string]string{"image/png": "image/png", "application/pdf": "application/pdf", "text/html": "application/octet-stream", "": "application/octet-stream"} {
		rec := httptest.NewRecorder()
		attachment.ServeHeaders(rec.Header(), attachment.Document{AttachmentID: `a"b;c/../x`, ContentType: ct})
		rec.WriteHeader(http.StatusOK)
		h := rec.Result().Header
		if h.Get("Content-Type") != want || h.Get("X-Content-Type-Options") != "nosniff" ||
			h.Get("Content-Security-Policy") != "sandbox; default-src 'none'" || !bytes.HasPrefix([]byte(h.Get("Content-Disposition")), []byte("attachment;")) {
			t.Errorf("%q: headers %v, want %s, nosniff, the sandbox CSP and attachment", ct, h, want)
		}
		if cd := h.Get("Content-Disposition"); bytes.ContainsAny([]byte(cd[len(`attachment; filename="`):len(cd)-1]), `"/;\`) {
			t.Errorf("file name breaks out of its header: %s", cd)
		}
	}
}
