// Package config is ledgerdesk's configuration: every environment variable the binary
// reads, read once, checked once, before any subcommand does anything. Nothing else in the
// binary reads the environment.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"ledgerdesk/adapters/clientip"

	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/app/authz"
	"ledgerdesk/codec"
	"ledgerdesk/domain/ledger"
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
	// OSUser is the operating-system user ($USER), named in the history as cli:<user>
	// when a CLI command says nothing else about who acts.
	OSUser string
}

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
}

// Load reads every variable through getenv (os.Getenv). Every malformed one is reported,
// each naming its variable; the value itself is not repeated, since it may be a secret.
func Load(getenv func(string) string) (Config, error) {
	c := Config{DataDir: ".ledgerdesk/pgdata", HTTPAddr: "127.0.0.1:8080", IDRetention: policies.DefaultRetention, LogLevel: slog.LevelInfo}
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
	if c.ThrowawayPG && c.DatabaseURL != "" {
		errs = append(errs, fmt.Errorf("%w: LEDGERDESK_THROWAWAY_PG: asks for a private cluster, but DATABASE_URL names a server: set one or the other", ErrSetting))
	}
	return c, errors.Join(errs...)
}
