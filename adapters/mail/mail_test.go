package mail_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"

	"ledgerdesk/adapters/mail"
	"ledgerdesk/adapters/mail/mailtest"
	mailpolicy "ledgerdesk/policies/mail"
)

var ctx = context.Background()

func message() mailpolicy.Message {
	return mailpolicy.Message{ID: uuid.Must(uuid.NewV7()), To: "jo@example.co.uk", ToName: "Jo Blöggs", Subject: "Reset your password",
		Text: "Hello Jo,\n\nopen https://support.example.org/password/reset/a/b to choose a new password.\n"}
}

func body(t *testing.T, data []byte) (*netmail.Message, string) {
	t.Helper()
	m, err := netmail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(m.Body)
	return m, string(b)
}

func TestAMessageGoesThroughARealSMTPServerWithItsIDAsMessageID(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t, mailtest.Options{})
	s, err := mail.NewSMTP(mail.SMTPConfig{Host: srv.Host, Port: srv.Port, TLS: mail.NoTLS, From: "Support Centre <support@practice.example>"})
	if err != nil {
		t.Fatal(err)
	}
	m := message()
	if err := s.Send(ctx, m); err != nil {
		t.Fatal(err)
	}
	got := srv.WaitFor(t, 1)
	if len(got) != 1 || got[0].From != "support@practice.example" || len(got[0].To) != 1 || got[0].To[0] != "jo@example.co.uk" {
		t.Fatalf("envelope %+v", got)
	}
	h, _ := body(t, got[0].Data)
	text := got[0].Text()
	if h.Header.Get("Message-Id") != "<"+m.ID.String()+"@practice.example>" || h.Header.Get("Subject") != "Reset your password" || h.Header.Get("Auto-Submitted") != "auto-generated" {
		t.Errorf("headers %v", h.Header)
	}
	if !strings.Contains(text, "/password/reset/a/b") {
		t.Errorf("body %q", text)
	}
}

func TestSTARTTLSWithAPasswordDeliversAndAWrongPasswordIsNotPermanent(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t, mailtest.Options{TLS: true, Username: "ledgerdesk", Password: "s3cret-relay"})
	cfg := mail.SMTPConfig{Host: srv.Host, Port: srv.Port, TLS: mail.STARTTLS, Username: "ledgerdesk", Password: "s3cret-relay",
		From: "support@practice.example", TLSConfig: &tls.Config{RootCAs: srv.RootCAs, ServerName: srv.Host, MinVersion: tls.VersionTLS12}}
	s, err := mail.NewSMTP(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(ctx, message()); err != nil {
		t.Fatalf("STARTTLS with a password: %v", err)
	}
	srv.WaitFor(t, 1)

	cfg.Password = "wrong"
	bad, _ := mail.NewSMTP(cfg)
	err = bad.Send(ctx, message())
	if err == nil || errors.Is(err, mailpolicy.ErrPermanent) {
		t.Fatalf("a wrong password: %v, want a temporary error (the deployment's to fix)", err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("%d messages delivered, want only the first", n)
	}
}

func TestSTARTTLSIsRequiredNotHopedFor(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t, mailtest.Options{}) // offers no STARTTLS
	s, err := mail.NewSMTP(mail.SMTPConfig{Host: srv.Host, Port: srv.Port, TLS: mail.STARTTLS, From: "support@practice.example"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(ctx, message()); err == nil || errors.Is(err, mailpolicy.ErrPermanent) {
		t.Fatalf("a server without STARTTLS: %v, want a temporary refusal to send in the clear", err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("%d messages went in the clear", n)
	}
}

func TestATemporaryRefusalIsNotPermanent(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t, mailtest.Options{})
	srv.RefuseNext(1)
	s, err := mail.NewSMTP(mail.SMTPConfig{Host: srv.Host, Port: srv.Port, TLS: mail.NoTLS, From: "support@practice.example"})
	if err != nil {
		t.Fatal(err)
	}
	m := message()
	if err := s.Send(ctx, m); err == nil || errors.Is(err, mailpolicy.ErrPermanent) {
		t.Fatalf("451: %v, want a temporary error", err)
	}
	if err := s.Send(ctx, m); err != nil {
		t.Fatalf("the retry: %v", err)
	}
	if got := srv.WaitFor(t, 1); len(got) != 1 || srv.Refused() != 1 {
		t.Fatalf("%d delivered, %d refused", len(got), srv.Refused())
	}
}

func TestBadMailSettingsAreRefusedNamingTheSetting(t *testing.T) {
	t.Parallel()
	ok := mail.SMTPConfig{Host: "smtp.example.org", TLS: mail.STARTTLS, Username: "u", Password: "p", From: "support@practice.example"}
	cases := map[string]func(*mail.SMTPConfig){
		"host":                  func(c *mail.SMTPConfig) { c.Host = " " },
		"port":                  func(c *mail.SMTPConfig) { c.Port = 70000 },
		"TLS mode":              func(c *mail.SMTPConfig) { c.TLS = "ssl3" },
		"username and password": func(c *mail.SMTPConfig) { c.Password = "" },
		"in the clear":          func(c *mail.SMTPConfig) { c.TLS = mail.NoTLS },
		"from":                  func(c *mail.SMTPConfig) { c.From = "not an address" },
	}
	if _, err := mail.NewSMTP(ok); err != nil {
		t.Fatalf("good settings: %v", err)
	}
	for want, spoil := range cases {
		c := ok
		spoil(&c)
		_, err := mail.NewSMTP(c)
		if !errors.Is(err, mail.ErrConfig) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want ErrConfig naming it", want, err)
		}
		if err != nil && strings.Contains(err.Error(), "p\"") {
			t.Errorf("%s: the error repeats the password: %v", want, err)
		}
	}
	if _, err := mail.NewDir("", "support@practice.example", nil); !errors.Is(err, mail.ErrConfig) {
		t.Errorf("a mail directory without a path: %v", err)
	}
}

func TestTheMailDirectoryHoldsOneEMLFilePerMessage(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "mail")
	d, err := mail.NewDir(dir, "support@practice.example", nil)
	if err != nil {
		t.Fatal(err)
	}
	m := message()
	for range 2 {
		if err := d.Send(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	files, _ := os.ReadDir(dir)
	if len(files) != 1 || files[0].Name() != m.ID.String()+".eml" {
		t.Fatalf("files %v, want one %s.eml", files, m.ID)
	}
	data, err := os.ReadFile(filepath.Join(dir, files[0].Name()))
	if err != nil {
		t.Fatal(err)
	}
	h, _ := body(t, data)
	if text := (mailtest.Received{Data: data}).Text(); !strings.Contains(h.Header.Get("To"), "jo@example.co.uk") || !strings.Contains(text, "/password/reset/a/b") {
		t.Errorf("the file: %v %q", h.Header, text)
	}
	if !strings.Contains(string(data), "https://support.example.org/password/reset/a/b") {
		t.Errorf("the file does not hold the link whole, for a developer to copy:\n%s", data)
	}
	listed, err := d.List()
	if err != nil || len(listed) != 1 {
		t.Fatalf("listing: %v %v", listed, err)
	}
	if l := listed[0]; l.ID != m.ID.String() || l.To != "jo@example.co.uk" || l.Subject != "Reset your password" || l.Date.IsZero() || !strings.Contains(l.Text, "/password/reset/a/b") {
		t.Errorf("listed %+v", l)
	}
	if st, _ := os.Stat(dir); st.Mode().Perm() != 0o700 {
		t.Errorf("directory mode %v, want 0700 (the files hold reset links)", st.Mode().Perm())
	}
}
