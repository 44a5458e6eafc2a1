package web

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"ledgerdesk/domain/ticket"
)

// passportScan is a small generated PNG: a stand-in for a photo of a passport.
func passportScan(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 40))
	for x := range 64 {
		for y := range 40 {
			img.Set(x, y, color.RGBA{uint8(x * 4), uint8(y * 6), 120, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// postMultipart sends the open-a-ticket form as the page does: multipart, the file last.
func postMultipart(t testing.TB, c *http.Client, u string, fields [][2]string, fileName string, file []byte) (*http.Response, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, f := range fields {
		if err := mw.WriteField(f[0], f[1]); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := mw.CreateFormFile("document", fileName)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(file)
	_ = mw.Close()
	req, err := http.NewRequest(http.MethodPost, u, &b)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

func twoFactorFields(kind, expires string) [][2]string {
	return [][2]string{{"category", "two_factor_reset"}, {"subject", "I lost my phone"}, {"body", "My authenticator app was on my old phone."},
		{"ip", ""}, {"document_kind", kind}, {"expires_on", expires}}
}

func (e *env) storedFiles(t testing.TB) int {
	t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM attachment_blobs`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestATwoFactorResetTicketCarriesItsPassportScanEncryptedAndNamedOnTheThread(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	e.signIn(t, c)
	res, body := postMultipart(t, c, e.srv.URL+"/tickets/new", twoFactorFields("passport", ""), "passport.png", passportScan(t))
	id, ok := strings.CutPrefix(res.Header.Get("Location"), "/tickets?opened=")
	if res.StatusCode != http.StatusSeeOther || !ok {
		t.Fatalf("open with a passport scan: %d %s", res.StatusCode, body)
	}
	if n := e.storedFiles(t); n != 1 {
		t.Fatalf("%d files stored, want the scan", n)
	}
	page := e.threadUntil(t, c, id, "Documents you sent")
	if !strings.Contains(page, "Passport, sent") || !strings.Contains(page, "Two-factor authentication reset") {
		t.Errorf("the thread does not name the document:\n%s", page)
	}
}

func TestTheTicketFormSaysTheUploadLimitAndTheAcceptedDocumentsBeforeAnythingIsSent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	e.signIn(t, c)
	_, body := get(t, c, e.srv.URL+"/tickets/new?category=two_factor_reset")
	for _, want := range []string{`enctype="multipart/form-data"`, "at most 10 MB", `accept="image/jpeg,image/png,image/webp,application/pdf"`,
		"UK driving licence", "Passport", "Utility bill", "Council tax bill", "Current student card"} {
		if !strings.Contains(body, want) {
			t.Errorf("the form lacks %q", want)
		}
	}
}

func TestARefusedDocumentIsSaidBesideItsFieldKeepsTheInputAndStoresNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	e.signIn(t, c)
	scan := passportScan(t)
	oversized := append(append([]byte{}, scan...), make([]byte, ticket.MaxAttachmentBytes)...)
	for _, tc := range []struct {
		name, kind, expires, file string
		content                   []byte
		status                    int
		field, words              string
	}{
		{"too large", "passport", "", "passport.png", oversized, http.StatusRequestEntityTooLarge, "document", "larger than 10 MB"},
		{"not an image", "passport", "", "passport.png", []byte("<html><script>alert(1)</script></html>"), http.StatusUnprocessableEntity, "document", "not a photo or scan we can accept"},
		{"a PNG that does not decode", "passport", "", "passport.png", scan[:len(scan)/2], http.StatusUnprocessableEntity, "document", "not a photo or scan we can accept"},
		{"no file", "passport", "", "", nil, http.StatusUnprocessableEntity, "document", "Choose a photo or scan"},
		{"no kind", "", "", "passport.png", scan, http.StatusUnprocessableEntity, "document_kind", "Choose which document"},
		{"a student card without its expiry", "student_card", "", "card.png", scan, http.StatusUnprocessableEntity, "expires_on", "enter the expiry date"},
		{"an expired student card", "student_card", "2020-06-30", "card.png", scan, http.StatusUnprocessableEntity, "expires_on", "expired on 2020-06-30"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.events()
			res, body := postMultipart(t, c, e.srv.URL+"/tickets/new", twoFactorFields(tc.kind, tc.expires), tc.file, tc.content)
			if res.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tc.status, body)
			}
			if !strings.Contains(body, `id="`+tc.field+`-error"`) || !strings.Contains(body, tc.words) {
				t.Errorf("no message %q beside %s:\n%s", tc.words, tc.field, body)
			}
			for _, kept := range []string{`value="I lost my phone"`, "My authenticator app was on my old phone.", `value="two_factor_reset" selected`} {
				if !strings.Contains(body, kept) {
					t.Errorf("the input %q was not kept", kept)
				}
			}
			if tc.kind != "" && !strings.Contains(body, `value="`+tc.kind+`" selected`) {
				t.Errorf("the document kind was not kept")
			}
			if after := e.events(); after != before {
				t.Errorf("a refused upload appended %d events", after-before)
			}
			if n := e.storedFiles(t); n != 0 {
				t.Errorf("a refused upload stored %d files", n)
			}
		})
	}
}

// The multipart reader never panics, keeps to its limits and never keeps a file over the
// limit, whatever the body.
func FuzzParseTicketMultipart(f *testing.F) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	_ = mw.SetBoundary("fuzzboundary")
	_ = mw.WriteField("category", "two_factor_reset")
	fw, _ := mw.CreateFormFile("document", "p.png")
	_, _ = fw.Write([]byte("\x89PNG\r\n\x1a\n"))
	_ = mw.Close()
	f.Add(b.Bytes())
	f.Add([]byte("--fuzzboundary\r\nContent-Disposition: form-data; name=\"subject\"\r\n\r\nhi\r\n--fuzzboundary--\r\n"))
	f.Add([]byte("--fuzzboundary\r\n\r\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := parseTicketMultipart(multipart.NewReader(bytes.NewReader(body), "fuzzboundary"), ticketForm{fields: map[string]string{}})
		if err != nil {
			return
		}
		if len(got.fields) > maxParts || len(got.file) > ticket.MaxAttachmentBytes || (got.tooLarge && got.file != nil) {
			t.Fatalf("limits broken: %d fields, %d-byte file, tooLarge %v", len(got.fields), len(got.file), got.tooLarge)
		}
		for k, v := range got.fields {
			if len(v) > maxFieldBytes {
				t.Fatalf("field %s of %d bytes", k, len(v))
			}
		}
	})
}
