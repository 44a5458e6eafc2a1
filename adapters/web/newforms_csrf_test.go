package web

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Every form this slice added refuses a cross-site POST with the 403 page, as the others
// do, and writes nothing: the thread's reply, My profile's three forms, the two-factor
// confirmation, and the multipart ticket form with a file.
func TestTheNewFormsRefuseACrossSitePostAndWriteNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	e.signIn(t, c)
	id := e.openTicketOnTheWeb(t, c, "Missing payment")
	e.threadUntil(t, c, id, "Missing payment")
	before, files := e.events(), e.storedFiles(t)
	cross := []string{"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"}
	for path, form := range map[string]url.Values{
		"/tickets/" + id + "/reply":   {"body": {"Forged"}},
		"/profile/details":            {"name": {"Forged"}, "email": {"forged@evil.example"}},
		"/profile/password":           {"current_password": {testPassword}, "new_password": {"forged forged forged"}, "confirm_password": {"forged forged forged"}},
		"/profile/two-factor":         {},
		"/profile/two-factor/confirm": {"ref": {"x"}, "code": {"123456"}},
	} {
		if res, body := post(t, c, e.srv.URL+path, form, cross...); res.StatusCode != http.StatusForbidden || !strings.Contains(body, "This form was sent from another site") {
			t.Errorf("%s: %d", path, res.StatusCode)
		}
	}
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range map[string]string{"category": "two_factor_reset", "subject": "Forged", "body": "Forged", "document_kind": "passport"} {
		_ = mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("document", "p.png")
	_, _ = fw.Write(passportScan(t))
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/tickets/new", &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("a cross-site upload: %d", res.StatusCode)
	}
	if after := e.events(); after != before {
		t.Errorf("refused cross-site posts appended %d events", after-before)
	}
	if n := e.storedFiles(t); n != files {
		t.Errorf("a refused cross-site upload stored %d files", n-files)
	}
}
