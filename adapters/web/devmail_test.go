package web

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"

	"ledgerdesk/adapters/mail"
	mailpolicy "ledgerdesk/policies/mail"
)

// demoMailbox is a mail directory holding one reset email, as `serve --demo` would have
// written it, and the mailbox the site reads it through.
func demoMailbox(t testing.TB) DevMailbox {
	t.Helper()
	d, err := mail.NewDir(filepath.Join(t.TempDir(), "mail"), "Support Centre <support@practice.example>", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Send(context.Background(), mailpolicy.Message{ID: uuid.Must(uuid.NewV7()), To: testEmail, ToName: "Jo Bloggs",
		Subject: "Reset your Psychiatry-UK Support Centre password", Text: "Hello Jo Bloggs,\n\nopen this link:\n\nhttp://127.0.0.1:8080/password/reset/acc/tok\n"}); err != nil {
		t.Fatal(err)
	}
	return func(context.Context) ([]DevMail, error) {
		stored, err := d.List()
		out := make([]DevMail, len(stored))
		for i, s := range stored {
			out[i] = DevMail(s)
		}
		return out, err
	}
}

func TestTheDemosMailPageListsTheMailAndExistsOnlyInTheDemo(t *testing.T) {
	t.Parallel()
	plain := newEnv(t)
	if res, _ := get(t, plain.client(), plain.srv.URL+"/dev/mail"); res.StatusCode != http.StatusNotFound {
		t.Errorf("/dev/mail outside the demo: %d, want 404", res.StatusCode)
	}
	demo := newEnvWith(t, nil, func(c *Config) { c.DevMailbox = demoMailbox(t) })
	res, body := get(t, demo.client(), demo.srv.URL+"/dev/mail")
	if res.StatusCode != 200 || !strings.Contains(body, "Reset your Psychiatry-UK Support Centre password") ||
		!strings.Contains(body, `<a href="http://127.0.0.1:8080/password/reset/acc/tok">`) || !strings.Contains(body, testEmail) {
		t.Fatalf("the demo's mail page: %d %s", res.StatusCode, body)
	}
	if _, body := get(t, demo.client(), demo.srv.URL+"/password/forgot/sent"); !strings.Contains(body, `href="/dev/mail"`) {
		t.Errorf("the demo's answer page does not point to its mail: %s", body)
	}
	if _, body := get(t, plain.client(), plain.srv.URL+"/password/forgot/sent"); strings.Contains(body, "/dev/mail") {
		t.Errorf("outside the demo the answer page points to /dev/mail")
	}
	if res.Header.Get("Content-Security-Policy") != csp || res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("headers %v", res.Header)
	}
}
