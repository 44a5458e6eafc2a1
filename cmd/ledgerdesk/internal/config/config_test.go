package config

import (
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTPAddr != "127.0.0.1:8080" || c.DataDir == "" || c.GoLive.String() != "2025-02-03" || c.LogLevel != slog.LevelInfo || c.MasterKey != nil ||
		c.PayeeCoolingOff != 72*time.Hour {
		t.Errorf("defaults: %+v", c)
	}
}

func TestEveryMalformedSettingIsNamed(t *testing.T) {
	bad := map[string]string{
		"DATABASE_URL":                      "postgres://host:notaport/db",
		"LEDGERDESK_EVENTSTORE":             "mysql://x",
		"LEDGERDESK_GO_LIVE":                "03/02/2025",
		"LEDGERDESK_HTTP_ADDR":              "8080",
		"LEDGERDESK_MASTER_KEY":             "not-a-key",
		"LEDGERDESK_ID_RETENTION":           "a month",
		"LEDGERDESK_LOG_LEVEL":              "loud",
		"LEDGERDESK_ROLE":                   "boss",
		"LEDGERDESK_INSECURE_COOKIES":       "yes please",
		"LEDGERDESK_DEBTOR_NAME":            strings.Repeat("x", 71),
		"LEDGERDESK_DEBTOR_SORT_CODE":       "12345",
		"LEDGERDESK_DEBTOR_ACCOUNT":         "1234567",
		"LEDGERDESK_TRUSTED_ORIGINS":        "https://ok.example,not an origin",
		"LEDGERDESK_OPS_ADDR":               "9090",
		"LEDGERDESK_PAYMENT_WEBHOOK_SECRET": "short",
		"LEDGERDESK_PAYEE_COOLING_OFF":      "a week",
		"LEDGERDESK_MODULUS_WEIGHTS":        "/no/such/valacdos.txt",
		"LEDGERDESK_SMTP_HOST":              "smtp.example.org:587",
		"LEDGERDESK_SMTP_PORT":              "0",
		"LEDGERDESK_SMTP_TLS":               "ssl",
		"LEDGERDESK_MAIL_FROM":              "nobody",
		"LEDGERDESK_SITE_URL":               "support.example.org",
	}
	for name, value := range bad {
		_, err := Load(env(map[string]string{name: value}))
		if !errors.Is(err, ErrSetting) || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%q: %v, want an error naming %s", name, value, err, name)
		}
	}
	_, err := Load(env(bad))
	for name := range bad {
		if err == nil || !strings.Contains(err.Error(), name+":") {
			t.Errorf("with every setting bad, %s is not reported: %v", name, err)
		}
	}
	if err != nil && strings.Contains(err.Error(), "not-a-key") {
		t.Errorf("the error repeats the master key's value: %v", err)
	}
}

func TestGoodSettingsAreRead(t *testing.T) {
	c, err := Load(env(map[string]string{
		"LEDGERDESK_MASTER_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "LEDGERDESK_LOG_LEVEL": "DEBUG",
		"LEDGERDESK_ID_RETENTION": "7d", "LEDGERDESK_ROLE": "accounts", "LEDGERDESK_INSECURE_COOKIES": "1",
		"LEDGERDESK_EVENTSTORE": "kurrentdb://localhost:2113?tls=false", "LEDGERDESK_DEBTOR_SORT_CODE": "20-00-00",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.MasterKey) != 32 || c.LogLevel != slog.LevelDebug || c.IDRetention.Hours() != 7*24 || c.Role != "accounts" ||
		!c.InsecureCookies || c.EventStore == "" || c.Debtor.SortCode != "20-00-00" {
		t.Errorf("read %+v", c)
	}
}

func TestThePayeeCoolingOffPeriodIsReadInDaysOrHoursWithinItsBounds(t *testing.T) {
	for v, want := range map[string]time.Duration{"3d": 72 * time.Hour, "36h": 36 * time.Hour, "1h": time.Hour, "30d": 30 * 24 * time.Hour} {
		c, err := Load(env(map[string]string{"LEDGERDESK_PAYEE_COOLING_OFF": v}))
		if err != nil || c.PayeeCoolingOff != want {
			t.Errorf("%s: %v, %v; want %v", v, c.PayeeCoolingOff, err, want)
		}
	}
	for _, v := range []string{"0d", "0", "59m", "31d", "-1d", "+3d", "3 days", "d"} {
		if _, err := Load(env(map[string]string{"LEDGERDESK_PAYEE_COOLING_OFF": v})); !errors.Is(err, ErrSetting) ||
			!strings.Contains(err.Error(), "LEDGERDESK_PAYEE_COOLING_OFF") {
			t.Errorf("%q: %v, want an error naming the variable", v, err)
		}
	}
}

func TestAModulusWeightTableIsReadFromTheFileNamedAndAMalformedOneRefused(t *testing.T) {
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "valacdos.txt"), filepath.Join(dir, "bad.txt")
	// A fixture row, not Vocalink's data.
	if err := os.WriteFile(good, []byte("400000 409999 MOD10 1 1 1 1 1 1 1 1 1 1 1 1 1 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("400000 409999 MOD12 1 1 1 1 1 1 1 1 1 1 1 1 1 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(env(map[string]string{"LEDGERDESK_MODULUS_WEIGHTS": good}))
	if err != nil || c.Modulus == nil || len(c.Modulus.Rows) != 1 {
		t.Fatalf("good table: %+v, %v", c.Modulus, err)
	}
	if c, _ := Load(env(nil)); c.Modulus != nil {
		t.Fatal("a table with none configured")
	}
	_, err = Load(env(map[string]string{"LEDGERDESK_MODULUS_WEIGHTS": bad}))
	if !errors.Is(err, ErrSetting) || !strings.Contains(err.Error(), "LEDGERDESK_MODULUS_WEIGHTS") || !strings.Contains(err.Error(), "line 1: field method") {
		t.Fatalf("bad table: %v", err)
	}
}

// TestTheREADMEListsEveryVariable keeps the configuration table honest.
func TestTheREADMEListsEveryVariable(t *testing.T) {
	readme, err := os.ReadFile("../../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range Variables {
		if !strings.Contains(string(readme), "| `"+v.Name+"` |") {
			t.Errorf("README.md's configuration table does not list %s", v.Name)
		}
	}
}

func TestMailGoesToADirectoryBesideTheDataUnlessAServerIsSet(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Mail.SMTP.Host != "" || c.MailDir() != filepath.Join(".ledgerdesk", "mail") || c.Site() != "http://127.0.0.1:8080" || c.Mail.SMTP.From != DefaultMailFrom {
		t.Errorf("mail defaults: %+v, dir %s, site %s", c.Mail, c.MailDir(), c.Site())
	}
	c, err = Load(env(map[string]string{"LEDGERDESK_SMTP_HOST": "smtp.example.org", "LEDGERDESK_SMTP_PORT": "2525", "LEDGERDESK_SMTP_TLS": "tls",
		"LEDGERDESK_SMTP_USERNAME": "ledgerdesk", "LEDGERDESK_SMTP_PASSWORD": "relay-secret", "LEDGERDESK_MAIL_FROM": "Support <support@practice.example>",
		"LEDGERDESK_SITE_URL": "https://support.practice.example/", "LEDGERDESK_DATA_DIR": "/var/lib/ledgerdesk/pg", "LEDGERDESK_MAIL_DIR": ""}))
	if err != nil {
		t.Fatal(err)
	}
	if s := c.Mail.SMTP; s.Host != "smtp.example.org" || s.Port != 2525 || s.TLS != "tls" || s.Username != "ledgerdesk" || s.Password != "relay-secret" ||
		s.From != "Support <support@practice.example>" || c.Site() != "https://support.practice.example" || c.MailDir() != "/var/lib/ledgerdesk/mail" {
		t.Errorf("mail settings read as %+v, site %s, dir %s", s, c.Site(), c.MailDir())
	}
}

func TestMailSettingsThatCannotWorkTogetherAreRefused(t *testing.T) {
	cases := []struct {
		settings map[string]string
		want     []string
	}{
		{map[string]string{"LEDGERDESK_SMTP_HOST": "smtp.example.org", "LEDGERDESK_SMTP_USERNAME": "ledgerdesk"}, []string{"LEDGERDESK_SMTP_", "username and password"}},
		{map[string]string{"LEDGERDESK_SMTP_HOST": "smtp.example.org", "LEDGERDESK_SMTP_TLS": "none", "LEDGERDESK_SMTP_USERNAME": "u", "LEDGERDESK_SMTP_PASSWORD": "relay-secret"}, []string{"LEDGERDESK_SMTP_", "in the clear"}},
		{map[string]string{"LEDGERDESK_SMTP_PASSWORD": "relay-secret"}, []string{"LEDGERDESK_SMTP_HOST"}},
	}
	for _, tc := range cases {
		_, err := Load(env(tc.settings))
		if !errors.Is(err, ErrSetting) {
			t.Errorf("%v: %v, want ErrSetting", tc.settings, err)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%v: %q does not say %q", tc.settings, err, w)
			}
		}
		if strings.Contains(err.Error(), "relay-secret") {
			t.Errorf("the error repeats the password: %v", err)
		}
	}
}
