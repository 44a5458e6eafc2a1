package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	mailpolicy "ledgerdesk/policies/mail"
)

// TLSMode is how the connection to the mail server is protected.
type TLSMode string

const (
	// STARTTLS upgrades a plain connection (port 587) and refuses to go on without it.
	STARTTLS TLSMode = "starttls"
	// ImplicitTLS speaks TLS from the first byte (port 465).
	ImplicitTLS TLSMode = "tls"
	// NoTLS sends in the clear: only for a relay on the same host, and never with a password.
	NoTLS TLSMode = "none"
)

// ParseTLSMode reads LEDGERDESK_SMTP_TLS; empty is STARTTLS.
func ParseTLSMode(s string) (TLSMode, error) {
	switch m := TLSMode(strings.ToLower(strings.TrimSpace(s))); m {
	case "":
		return STARTTLS, nil
	case STARTTLS, ImplicitTLS, NoTLS:
		return m, nil
	}
	return "", fmt.Errorf("%w: TLS mode %q: want starttls, tls or none", ErrConfig, s)
}

// ErrConfig says the mail settings cannot work; the message names the setting.
var ErrConfig = errors.New("bad mail setting")

// SMTPConfig is the practice's mail server.
type SMTPConfig struct {
	Host string
	// Port is 0 for the mode's usual one: 587 for STARTTLS, 465 for TLS, 25 for none.
	Port     int
	TLS      TLSMode
	Username string
	Password string
	// From is the sender, "Support Centre <support@example.org>".
	From string
	// Timeout bounds each conversation with the server; 0 means 30 s.
	Timeout time.Duration
	// TLSConfig, when set, replaces the default (the system's roots, the host's name):
	// for a server with a private certificate authority.
	TLSConfig *tls.Config
	// Now is the clock for the Date header; nil means time.Now.
	Now func() time.Time
}

// SMTP sends through a mail server.
type SMTP struct {
	cfg  SMTPConfig
	from *mail.Address
}

// NewSMTP checks cfg: each problem is ErrConfig, naming the setting.
func NewSMTP(cfg SMTPConfig) (*SMTP, error) {
	var errs []error
	if strings.TrimSpace(cfg.Host) == "" {
		errs = append(errs, fmt.Errorf("%w: host: is required", ErrConfig))
	}
	if cfg.Port < 0 || cfg.Port > 65535 {
		errs = append(errs, fmt.Errorf("%w: port: %d is not a TCP port", ErrConfig, cfg.Port))
	}
	mode, err := ParseTLSMode(string(cfg.TLS))
	if err != nil {
		errs = append(errs, err)
	}
	cfg.TLS = mode
	if (cfg.Username == "") != (cfg.Password == "") {
		errs = append(errs, fmt.Errorf("%w: username and password: give both, or neither", ErrConfig))
	}
	if mode == NoTLS && cfg.Username != "" {
		errs = append(errs, fmt.Errorf("%w: tls: none would send the password in the clear; use starttls or tls", ErrConfig))
	}
	from, err := ParseFrom(cfg.From)
	if err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if cfg.Port == 0 {
		cfg.Port = map[TLSMode]int{STARTTLS: 587, ImplicitTLS: 465, NoTLS: 25}[mode]
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &SMTP{cfg: cfg, from: from}, nil
}

// Addr is the server's host:port, for logs.
func (s *SMTP) Addr() string { return net.JoinHostPort(s.cfg.Host, fmt.Sprint(s.cfg.Port)) }

// Send delivers one message in a connection of its own. A refusal the server marks as
// permanent (5xx) wraps mailpolicy.ErrPermanent; anything else (4xx, no connection, a
// TLS failure) is temporary, for the sender to retry.
func (s *SMTP) Send(ctx context.Context, m mailpolicy.Message) error {
	msg, err := build(s.from, m, s.cfg.Now(), false)
	if err != nil {
		return err
	}
	opts := []gomail.Option{gomail.WithPort(s.cfg.Port), gomail.WithTimeout(s.cfg.Timeout), gomail.WithHELO(heloName(s.from))}
	tc := s.cfg.TLSConfig
	if tc == nil {
		tc = &tls.Config{ServerName: s.cfg.Host, MinVersion: tls.VersionTLS12}
	}
	switch s.cfg.TLS {
	case STARTTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory), gomail.WithTLSConfig(tc))
	case ImplicitTLS:
		opts = append(opts, gomail.WithSSL(), gomail.WithTLSConfig(tc))
	case NoTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if s.cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	c, err := gomail.NewClient(s.cfg.Host, opts...)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrConfig, err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		var se *gomail.SendError
		// Only the message's own refusal is final: a refused sender, recipient or content.
		// A failed sign-in or TLS handshake is this deployment's to fix, and the message
		// waits for it.
		if errors.As(err, &se) && !se.IsTemp() && se.ErrorCode() >= 500 &&
			(se.Reason == gomail.ErrSMTPMailFrom || se.Reason == gomail.ErrSMTPRcptTo || se.Reason == gomail.ErrSMTPData || se.Reason == gomail.ErrSMTPDataClose) {
			return fmt.Errorf("%w: %s", mailpolicy.ErrPermanent, err)
		}
		return fmt.Errorf("sending through %s: %w", s.Addr(), err)
	}
	return nil
}

// heloName is the name the client greets the server with: the sender's domain.
func heloName(from *mail.Address) string {
	if _, d, ok := strings.Cut(from.Address, "@"); ok && d != "" {
		return d
	}
	return "localhost"
}
