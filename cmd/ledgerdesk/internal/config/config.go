// Package config is ledgerdesk's configuration: every environment variable the binary
// reads, read once, checked once, before any subcommand does anything. Nothing else in the
// binary reads the environment.
package config

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"ledgerdesk/adapters/clientip"

	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/adapters/mail"
	"ledgerdesk/app/authz"
	"ledgerdesk/codec"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/modulus"
	policies "ledgerdesk/policies/support"
)

// Config is the deployment's settings.
type Config struct {
	// DatabaseURL is PostgreSQL for read models, checkpoints and the default event store; `pool_max_conns=N` in it sets each process's pool;
	// empty means find a local server or start a throwaway cluster in DataDir.
	DatabaseURL string
	// EventStore is "" (the events table in DatabaseURL) or a KurrentDB connection string.
	EventStore string
	DataDir    string
	HTTPAddr   string
	// GoLive is the V2 go-live date recorded at start-up.
	GoLive   ledger.Date
	LogLevel slog.Level
	// MasterKey wraps the per-person data keys and seals the support centre's secrets;
	// nil when unset (a development key is used, with a warning).
	MasterKey []byte
	// IDRetention is how long identity documents are kept after their ticket closes.
	IDRetention time.Duration
	// Actor and Role are who CLI commands act as, unless --as and --role say otherwise.
	Actor string
	Role  authz.Role
	// InsecureCookies drops the Secure flag on session cookies (plain-HTTP local runs).
	InsecureCookies bool
	// Debtor is the practice's own bank account, the default for bank-file options.
	Debtor Debtor
	// TrustedOrigins may make cookie-authenticated state changes besides the site's own
	// origin (a front end on another host).
	TrustedOrigins []string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is believed.
	TrustedProxies []string
	// OpsAddr, when set, is a separate listen address for /healthz, /readyz and /metrics,
	// open to whoever reaches it; unset, the main address serves them to operators only.
	OpsAddr string
	// PaymentWebhookSecret verifies the payment provider's signed notifications; unset,
	// the notification endpoint is absent.
	PaymentWebhookSecret []byte
	// ThrowawayPG forces a private throwaway cluster in DataDir even where a local server
	// answers.
	ThrowawayPG bool
	// InsecureDevKeys lets `serve` run on the development key file without --demo.
	InsecureDevKeys bool
	// DevKeyFile is where the development master key is kept; empty means beside DataDir.
	DevKeyFile string
	// Mail is where the support centre's email goes: an SMTP server when SMTP.Host is
	// set, else .eml files in Dir.
	Mail Mail
	// SiteURL is the support centre's address as its users reach it, for links in email;
	// empty means http:// and HTTPAddr.
	SiteURL string
	// OSUser is the operating-system user ($USER), named in the history as cli:<user>
	// when a CLI command says nothing else about who acts.
	OSUser string
	// PayeeCoolingOff is how long a clinician's payouts are held after their bank details
	// are set or changed.
	PayeeCoolingOff time.Duration
	// Modulus is the UK modulus weight table read from LEDGERDESK_MODULUS_WEIGHTS; nil
	// when unset, and then bank details are recorded as "could not be checked".
	Modulus *modulus.Table
}

// Mail is the mail settings.
type Mail struct {
	SMTP mail.SMTPConfig
	// Dir is where mail is written without a server; empty means beside DataDir.
	Dir string
}

// MailDir is where mail lands without a mail server: LEDGERDESK_MAIL_DIR, else "mail"
// beside the data directory (.ledgerdesk/mail for `make run`).
func (c Config) MailDir() string {
	if c.Mail.Dir != "" {
		return c.Mail.Dir
	}
	return filepath.Join(filepath.Dir(filepath.Clean(c.DataDir)), "mail")
}

// Site is SiteURL, or the address serve listens on.
func (c Config) Site() string {
	if c.SiteURL != "" {
		return c.SiteURL
	}
	return "http://" + c.HTTPAddr
}

// DefaultMailFrom is the sender when LEDGERDESK_MAIL_FROM is unset.
const DefaultMailFrom = "Psychiatry-UK Support Centre <support@ledgerdesk.invalid>"

// Debtor is the account the bank debits for payouts.
type Debtor struct{ Name, SortCode, AccountNumber string }

// Variable is one setting, for help texts and the README's table.
type Variable struct {
	Name, Meaning, Default string
	parse                  func(c *Config, v string) error
}

// ErrSetting is matched by every error Load returns.
var ErrSetting = errors.New("bad setting")

var (
	sortCode      = regexp.MustCompile(`^[0-9]{2}-?[0-9]{2}-?[0-9]{2}$`)
	accountNumber = regexp.MustCompile(`^[0-9]{8}$`)
)

// Variables are every environment variable ledgerdesk reads, in the README's order.
var Variables = []Variable{
	{"DATABASE_URL", "PostgreSQL for read models, checkpoints and the default event store", "found or started, see above",
		func(c *Config, v string) error {
			if _, err := pgxpool.ParseConfig(v); err != nil {
				return errors.New("not a PostgreSQL connection string (postgres://user@host:5432/db)")
			}
			c.DatabaseURL = v
			return nil
		}},
	{"LEDGERDESK_EVENTSTORE", "`postgres`, or a KurrentDB connection string (`kurrentdb://…`, `esdb://…`)", "`postgres`",
		func(c *Config, v string) error {
			switch {
			case v == "postgres":
			case strings.HasPrefix(v, "kurrentdb://"), strings.HasPrefix(v, "kurrentdb+discover://"),
				strings.HasPrefix(v, "esdb://"), strings.HasPrefix(v, "esdb+discover://"):
				c.EventStore = v
			default:
				return errors.New("want postgres, or a connection string starting kurrentdb:// or esdb://")
			}
			return nil
		}},
	{"LEDGERDESK_GO_LIVE", "the V2 go-live date (YYYY-MM-DD), recorded once in the history", "`2025-02-03`",
		func(c *Config, v string) error {
			d, err := ledger.ParseDate(v)
			if err != nil {
				return err
			}
			c.GoLive = d
			return nil
		}},
	{"LEDGERDESK_HTTP_ADDR", "where `serve` listens", "`127.0.0.1:8080`",
		func(c *Config, v string) error {
			if _, _, err := net.SplitHostPort(v); err != nil {
				return fmt.Errorf("want host:port, e.g. 127.0.0.1:8080 (%v)", err)
			}
			c.HTTPAddr = v
			return nil
		}},
	{"LEDGERDESK_DATA_DIR", "where a throwaway PostgreSQL cluster lives", "`.ledgerdesk/pgdata`",
		func(c *Config, v string) error { c.DataDir = v; return nil }},
	{"LEDGERDESK_MASTER_KEY", "32-byte key, base64, wrapping the per-person data keys and sealing attachments and two-factor secrets", "unset: `serve` refuses (unless `--demo`); tools use the development key file",
		func(c *Config, v string) error {
			k, err := codec.ParseMasterKey(v)
			if err != nil {
				return err
			}
			c.MasterKey = k
			return nil
		}},
	{"LEDGERDESK_ID_RETENTION", "how long identity documents are kept after their ticket is closed (`30d`, `720h`)", "`30d`",
		func(c *Config, v string) error {
			d, err := policies.ParseRetention(v)
			if err != nil {
				return err
			}
			c.IDRetention = d
			return nil
		}},
	{"LEDGERDESK_LOG_LEVEL", "`debug`, `info`, `warn` or `error`", "`info`",
		func(c *Config, v string) error {
			if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
				return fmt.Errorf("%q: want debug, info, warn or error", v)
			}
			return nil
		}},
	{"LEDGERDESK_ACTOR", "who CLI commands act as (an account id, or a support-site email), unless `--as` says", "`cli:$USER`",
		func(c *Config, v string) error { c.Actor = v; return nil }},
	{"LEDGERDESK_ROLE", "the role CLI commands act in, unless `--role` says", "each command's own",
		func(c *Config, v string) error {
			r, err := authz.ParseRole(v)
			c.Role = r
			return err
		}},
	{"LEDGERDESK_INSECURE_COOKIES", "`1` drops the Secure flag on session cookies, for plain-HTTP local runs", "`0`",
		func(c *Config, v string) error {
			switch v {
			case "0", "false":
			case "1", "true":
				c.InsecureCookies = true
			default:
				return errors.New("want 1 or 0")
			}
			return nil
		}},
	{"LEDGERDESK_DEBTOR_NAME", "the practice's bank account name, for payout bank files", "none: give `--debtor-name`",
		func(c *Config, v string) error {
			if strings.TrimSpace(v) == "" || utf8.RuneCountInString(v) > 70 {
				return errors.New("want the account's name, at most 70 characters")
			}
			c.Debtor.Name = v
			return nil
		}},
	{"LEDGERDESK_DEBTOR_SORT_CODE", "the practice's sort code, 6 digits", "none: give `--debtor-sort-code`",
		func(c *Config, v string) error {
			if !sortCode.MatchString(v) {
				return errors.New("want 6 digits, e.g. 20-00-00")
			}
			c.Debtor.SortCode = v
			return nil
		}},
	{"LEDGERDESK_DEBTOR_ACCOUNT", "the practice's account number, 8 digits", "none: give `--debtor-account`",
		func(c *Config, v string) error {
			if !accountNumber.MatchString(v) {
				return errors.New("want 8 digits")
			}
			c.Debtor.AccountNumber = v
			return nil
		}},
	{"LEDGERDESK_TRUSTED_ORIGINS", "comma-separated origins (`https://host[:port]`) that may make cookie-authenticated changes besides the site itself", "none",
		func(c *Config, v string) error {
			for _, o := range strings.Split(v, ",") {
				o = strings.TrimSpace(o)
				u, err := url.Parse(o)
				if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Path != "" || u.RawQuery != "" {
					return fmt.Errorf("%q is not an origin (scheme://host[:port])", o)
				}
				c.TrustedOrigins = append(c.TrustedOrigins, o)
			}
			return nil
		}},
	{"LEDGERDESK_TRUSTED_PROXIES", "comma-separated reverse proxies (networks like `10.0.0.0/8`, or addresses) whose `X-Forwarded-For` names the client", "none: the peer is the client",
		func(c *Config, v string) error {
			for _, p := range strings.Split(v, ",") {
				if _, err := clientip.ParseProxy(p); err != nil {
					return err
				}
				c.TrustedProxies = append(c.TrustedProxies, strings.TrimSpace(p))
			}
			return nil
		}},
	{"LEDGERDESK_OPS_ADDR", "a separate listen address for `/healthz`, `/readyz` and `/metrics`, open to whoever reaches it", "unset: the main address, operators' tokens only",
		func(c *Config, v string) error {
			if _, _, err := net.SplitHostPort(v); err != nil {
				return fmt.Errorf("want host:port, e.g. 127.0.0.1:9090 (%v)", err)
			}
			c.OpsAddr = v
			return nil
		}},
	{"LEDGERDESK_PAYMENT_WEBHOOK_SECRET", "the payment provider's webhook signing secret; enables `POST /api/v1/payment-provider/notifications`", "unset: no endpoint",
		func(c *Config, v string) error {
			if len(v) < 16 {
				return errors.New("too short to be a signing secret (want at least 16 characters)")
			}
			c.PaymentWebhookSecret = []byte(v)
			return nil
		}},
	{"LEDGERDESK_THROWAWAY_PG", "`1` always uses (or starts) a private throwaway cluster in `LEDGERDESK_DATA_DIR`, even where a local server answers; not with `DATABASE_URL`", "`0`",
		func(c *Config, v string) error {
			switch v {
			case "0", "false":
			case "1", "true":
				c.ThrowawayPG = true
			default:
				return errors.New("want 1 or 0")
			}
			return nil
		}},
	{"LEDGERDESK_INSECURE_DEV_KEYS", "`1` lets `serve` run without `LEDGERDESK_MASTER_KEY` (and without `--demo`) on the development key file", "`0`: refuse",
		func(c *Config, v string) error {
			switch v {
			case "0", "false":
			case "1", "true":
				c.InsecureDevKeys = true
			default:
				return errors.New("want 1 or 0")
			}
			return nil
		}},
	{"LEDGERDESK_DEV_KEY_FILE", "where the development master key is kept (created mode 0600) when `LEDGERDESK_MASTER_KEY` is unset", "beside the data directory: `.ledgerdesk/dev-master-key`",
		func(c *Config, v string) error { c.DevKeyFile = v; return nil }},
	{"LEDGERDESK_PAYEE_COOLING_OFF", "how long a clinician's payouts are held after their bank details are set or changed (`3d`, `36h`; 1 hour to 30 days)", "`3d`",
		func(c *Config, v string) error {
			d, err := parseCoolingOff(v)
			if err != nil {
				return err
			}
			c.PayeeCoolingOff = d
			return nil
		}},
	{"LEDGERDESK_MODULUS_WEIGHTS", "a copy of Vocalink's modulus weight table (`valacdos.txt`) to check clinicians' bank details against; none is shipped", "unset: bank details are recorded as \"could not be checked\"",
		func(c *Config, v string) error {
			b, err := readSmallFile(v, maxModulusFile)
			if err != nil {
				return err
			}
			t, err := modulus.ParseTable(string(b))
			if err != nil {
				return err
			}
			c.Modulus = t
			return nil
		}},
	{"LEDGERDESK_SMTP_HOST", "the mail server the support centre's email (password reset links) is sent through", "unset: mail is written to `LEDGERDESK_MAIL_DIR` instead",
		func(c *Config, v string) error {
			if strings.ContainsAny(v, " /:@") {
				return errors.New("want a host name or address, e.g. smtp.example.org (the port is LEDGERDESK_SMTP_PORT)")
			}
			c.Mail.SMTP.Host = v
			return nil
		}},
	{"LEDGERDESK_SMTP_PORT", "the mail server's port", "the TLS mode's: 587 (`starttls`), 465 (`tls`), 25 (`none`)",
		func(c *Config, v string) error {
			p, err := strconv.Atoi(v)
			if err != nil || p < 1 || p > 65535 {
				return errors.New("want a TCP port, 1 to 65535")
			}
			c.Mail.SMTP.Port = p
			return nil
		}},
	{"LEDGERDESK_SMTP_TLS", "`starttls` (required, not hoped for), `tls` (from the first byte) or `none` (a relay on this host; never with a password)", "`starttls`",
		func(c *Config, v string) error {
			m, err := mail.ParseTLSMode(v)
			if err != nil {
				return errors.New("want starttls, tls or none")
			}
			c.Mail.SMTP.TLS = m
			return nil
		}},
	{"LEDGERDESK_SMTP_USERNAME", "the mail server account's name, with `LEDGERDESK_SMTP_PASSWORD`", "none: no sign-in",
		func(c *Config, v string) error { c.Mail.SMTP.Username = v; return nil }},
	{"LEDGERDESK_SMTP_PASSWORD", "the mail server account's password", "none",
		func(c *Config, v string) error { c.Mail.SMTP.Password = v; return nil }},
	{"LEDGERDESK_MAIL_FROM", "the sender of the support centre's email (`support@example.org`, or `Name <support@example.org>`)", "`Psychiatry-UK Support Centre <support@ledgerdesk.invalid>`",
		func(c *Config, v string) error {
			if _, err := mail.ParseFrom(v); err != nil {
				return errors.New("want an email address, support@example.org or Name <support@example.org>")
			}
			c.Mail.SMTP.From = v
			return nil
		}},
	{"LEDGERDESK_MAIL_DIR", "where email is written as `.eml` files when no mail server is set", "beside the data directory: `.ledgerdesk/mail`",
		func(c *Config, v string) error { c.Mail.Dir = v; return nil }},
	{"LEDGERDESK_SITE_URL", "the support centre's address as its users reach it (`https://support.example.org`), for the links in email", "`http://` and `LEDGERDESK_HTTP_ADDR`",
		func(c *Config, v string) error {
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
				return errors.New("want the site's address, scheme://host[:port], e.g. https://support.example.org")
			}
			c.SiteURL = strings.TrimSuffix(v, "/")
			return nil
		}},
}

// maxModulusFile bounds the weight table file; Vocalink's is about 60 KB.
const maxModulusFile = 2 << 20

// readSmallFile reads a file of at most max bytes.
func readSmallFile(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot open the file: %w", errors.Unwrap(err))
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read the file: %w", err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("the file is larger than %d bytes", max)
	}
	return b, nil
}

// The payee cooling-off period's bounds: shorter than an hour protects nothing; longer
// than a month holds a clinician's pay for a typing mistake.
const (
	minCoolingOff = time.Hour
	maxCoolingOff = 30 * 24 * time.Hour
)

// parseCoolingOff reads whole days ("3d") or a Go duration ("36h").
func parseCoolingOff(v string) (time.Duration, error) {
	var d time.Duration
	if days, ok := strings.CutSuffix(v, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || strings.HasPrefix(days, "+") || n < 0 || n > 30 {
			return 0, errors.New("write whole days as 3d (at most 30d), or a duration as 36h")
		}
		d = time.Duration(n) * 24 * time.Hour
	} else {
		var err error
		if d, err = time.ParseDuration(v); err != nil {
			return 0, errors.New("write whole days as 3d, or a duration as 36h")
		}
	}
	if d < minCoolingOff || d > maxCoolingOff {
		return 0, errors.New("must be between 1 hour and 30 days")
	}
	return d, nil
}

// Load reads every variable through getenv (os.Getenv). Every malformed one is reported,
// each naming its variable; the value itself is not repeated, since it may be a secret.
func Load(getenv func(string) string) (Config, error) {
	c := Config{DataDir: ".ledgerdesk/pgdata", HTTPAddr: "127.0.0.1:8080", IDRetention: policies.DefaultRetention, LogLevel: slog.LevelInfo,
		PayeeCoolingOff: account.DefaultPayeeCoolingOff}
	c.GoLive, _ = ledger.ParseDate("2025-02-03")
	c.OSUser = getenv("USER")
	var errs []error
	for _, v := range Variables {
		val := getenv(v.Name)
		if val == "" {
			continue
		}
		if err := v.parse(&c, strings.TrimSpace(val)); err != nil {
			errs = append(errs, fmt.Errorf("%w: %s: %w", ErrSetting, v.Name, err))
		}
	}
	if c.Mail.SMTP.From == "" {
		c.Mail.SMTP.From = DefaultMailFrom
	}
	if c.Mail.SMTP.Host != "" {
		// The server's settings together: the adapter's own check, whose message names
		// the setting; the variable is named here.
		if _, err := mail.NewSMTP(c.Mail.SMTP); err != nil {
			errs = append(errs, fmt.Errorf("%w: LEDGERDESK_SMTP_*: %w", ErrSetting, err))
		}
	} else if c.Mail.SMTP.Username != "" || c.Mail.SMTP.Password != "" || c.Mail.SMTP.Port != 0 || c.Mail.SMTP.TLS != "" {
		errs = append(errs, fmt.Errorf("%w: LEDGERDESK_SMTP_HOST: the other LEDGERDESK_SMTP_* settings are given but not the server's host", ErrSetting))
	}
	if c.ThrowawayPG && c.DatabaseURL != "" {
		errs = append(errs, fmt.Errorf("%w: LEDGERDESK_THROWAWAY_PG: asks for a private cluster, but DATABASE_URL names a server: set one or the other", ErrSetting))
	}
	return c, errors.Join(errs...)
}
