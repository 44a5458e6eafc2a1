package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/app"
	"ledgerdesk/app/authz"
	"ledgerdesk/commands/support"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/ticket"
)

// SenderName is the sender's name as a system actor (policy:mail_sender).
const SenderName = "mail_sender"

// Message is one email, ready to go. ID goes out as its Message-ID.
type Message struct {
	ID      uuid.UUID
	To      string
	ToName  string
	Subject string
	Text    string
}

// Transport delivers messages: the port adapters/mail implements (SMTP, a directory).
// Sending the same message (same ID) again must be harmless to the transport itself.
type Transport interface {
	Send(ctx context.Context, m Message) error
}

// ErrPermanent marks a refusal that sending again will not change (a 5xx reply: no such
// mailbox, a message refused for its content). Any other error is taken as temporary.
var ErrPermanent = errors.New("the mail server refused the message for good")

// Sender limits and defaults.
const (
	DefaultMaxAttempts = 10
	DefaultFirstRetry  = 30 * time.Second
	DefaultMaxRetry    = time.Hour
	DefaultPoll        = 2 * time.Second
	// maxErrorText bounds what is kept of a refusal's text.
	maxErrorText = 500
)

// SenderConfig is what a Sender runs on.
type SenderConfig struct {
	// App composes messages (the account's address, the link's token) as policy:mail_sender.
	App *app.App
	// DB holds mail_outbox.
	DB        *pgxpool.Pool
	Transport Transport
	// SiteURL is where the links in messages point: the support centre's address as its
	// users reach it (scheme://host[:port]).
	SiteURL string
	// Now is the clock due times are measured on; nil means time.Now.
	Now func() time.Time
	// MaxAttempts is how many temporary refusals a message survives before it is marked
	// failed; FirstRetry is the pause after the first, doubling each time up to MaxRetry.
	MaxAttempts int
	FirstRetry  time.Duration
	MaxRetry    time.Duration
	// Poll is how often Run looks for due messages.
	Poll   time.Duration
	Logger *slog.Logger
}

// Sender works off the outbox.
type Sender struct {
	cfg  SenderConfig
	site *url.URL
	log  *slog.Logger
}

// ErrSenderConfig says a sender cannot be built as configured.
var ErrSenderConfig = errors.New("mail sender misconfigured")

// NewSender checks cfg.
func NewSender(cfg SenderConfig) (*Sender, error) {
	if cfg.App == nil || cfg.DB == nil || cfg.Transport == nil {
		return nil, fmt.Errorf("%w: needs App, DB and Transport", ErrSenderConfig)
	}
	site, err := url.Parse(cfg.SiteURL)
	if err != nil || (site.Scheme != "http" && site.Scheme != "https") || site.Host == "" || (site.Path != "" && site.Path != "/") || site.RawQuery != "" {
		return nil, fmt.Errorf("%w: SiteURL %q: want the site's address, scheme://host[:port]", ErrSenderConfig, cfg.SiteURL)
	}
	site.Path = ""
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = DefaultMaxAttempts
	}
	if cfg.FirstRetry <= 0 {
		cfg.FirstRetry = DefaultFirstRetry
	}
	if cfg.MaxRetry < cfg.FirstRetry {
		cfg.MaxRetry = max(DefaultMaxRetry, cfg.FirstRetry)
	}
	if cfg.Poll <= 0 {
		cfg.Poll = DefaultPoll
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Sender{cfg: cfg, site: site, log: cfg.Logger}, nil
}

// Backoff is the pause after the attempt-th temporary refusal: FirstRetry, doubling, at
// most MaxRetry.
func (s *Sender) Backoff(attempt int) time.Duration {
	d := s.cfg.FirstRetry
	for i := 1; i < attempt && d < s.cfg.MaxRetry; i++ {
		d *= 2
	}
	return min(d, s.cfg.MaxRetry)
}

// Outcome is what one pass did.
type Outcome struct {
	Sent, Retrying, Failed, Dropped int
}

// SendDue sends every message due by the sender's clock, one at a time, and says what
// happened. A message that fails is recorded and the pass goes on; the error is only for
// the outbox itself being unreachable.
func (s *Sender) SendDue(ctx context.Context) (Outcome, error) {
	var out Outcome
	for {
		res, err := s.sendOne(ctx)
		if err != nil || res == "" {
			return out, err
		}
		switch res {
		case "sent":
			out.Sent++
		case "retrying":
			out.Retrying++
		case "failed":
			out.Failed++
		case "dropped":
			out.Dropped++
		}
	}
}

// Run sends due messages every Poll until ctx ends.
func (s *Sender) Run(ctx context.Context) error {
	t := time.NewTicker(s.cfg.Poll)
	defer t.Stop()
	for {
		if _, err := s.SendDue(ctx); err != nil && ctx.Err() == nil {
			s.log.ErrorContext(ctx, "mail: working off the outbox", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

type queued struct {
	id        uuid.UUID
	kind      string
	accountID string
	cause     uuid.UUID
	attempts  int
	// ticketID is the ticket a reply message is about; nil for other kinds.
	ticketID *string
}

// sendOne takes the next due message under a row lock, sends it and records what came of
// it, in one transaction: "" when nothing is due. The row stays locked while the mail
// server is talked to, so no other sender takes it meanwhile; the lock is the row's only,
// and the transaction appends no events, so it holds back no reader of the history.
func (s *Sender) sendOne(ctx context.Context) (string, error) {
	now := s.cfg.Now()
	tx, err := s.cfg.DB.Begin(ctx)
	if err != nil {
		return "", fmt.Errorf("mail outbox: %w", err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	var q queued
	err = tx.QueryRow(ctx, `SELECT message_id, kind, account_id, cause_command, attempts, ticket_id FROM mail_outbox
		WHERE status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= $1)
		ORDER BY next_attempt_at NULLS FIRST, queued_at LIMIT 1 FOR UPDATE SKIP LOCKED`, now).
		Scan(&q.id, &q.kind, &q.accountID, &q.cause, &q.attempts, &q.ticketID)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("mail outbox: %w", err)
	}
	log := s.log.With("message_id", q.id.String(), "kind", q.kind, "attempt", q.attempts+1)
	msg, err := s.compose(ctx, q)
	var result string
	switch {
	case errors.Is(err, support.ErrResetLinkGone):
		result = "dropped"
		log.InfoContext(ctx, "mail: not sent, the link no longer works", "reason", err.Error())
	case errors.Is(err, account.ErrAccountNotFound):
		result = "failed"
		log.WarnContext(ctx, "mail: not sent, no such account")
	case errors.Is(err, ticket.ErrTicketNotFound), errors.Is(err, ticket.ErrNotYourTicket):
		result = "failed"
		log.WarnContext(ctx, "mail: not sent, the ticket is not the account's")
	case err != nil:
		result = "retrying"
		log.WarnContext(ctx, "mail: could not compose the message", "err", err)
	default:
		err = s.cfg.Transport.Send(ctx, msg)
		// A refusal may quote the address; what is kept and logged never does.
		switch {
		case err == nil:
			result = "sent"
		case errors.Is(err, ErrPermanent):
			result = "failed"
		default:
			result = "retrying"
		}
		if err != nil {
			err = errors.New(redact(err.Error(), msg.To))
		}
	}
	if result == "retrying" && q.attempts+1 >= s.cfg.MaxAttempts {
		result = "failed"
	}
	errText := ""
	if err != nil {
		errText = truncate(err.Error(), maxErrorText)
	}
	switch result {
	case "sent":
		_, err = tx.Exec(ctx, `UPDATE mail_outbox SET status = 'sent', attempts = attempts + 1, done_at = $2, last_error = NULL WHERE message_id = $1`, q.id, now)
		log.InfoContext(ctx, "mail: sent")
	case "retrying":
		next := now.Add(s.Backoff(q.attempts + 1))
		_, err = tx.Exec(ctx, `UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3 WHERE message_id = $1`, q.id, next, errText)
		log.WarnContext(ctx, "mail: refused for now, trying again later", "next_attempt_at", next, "err", errText)
	case "failed", "dropped":
		_, err = tx.Exec(ctx, `UPDATE mail_outbox SET status = $2, attempts = attempts + 1, done_at = $3, last_error = $4 WHERE message_id = $1`, q.id, result, now, errText)
		if result == "failed" {
			log.ErrorContext(ctx, "mail: given up", "err", errText)
		}
	}
	if err != nil {
		return "", fmt.Errorf("mail outbox: recording message %s: %w", q.id, err)
	}
	// The double-send window: the server has the message, the row still says pending
	// until this commits. A crash here sends it again on the next pass (same Message-ID).
	if err := tx.Commit(ctx); err != nil {
		return "", fmt.Errorf("mail outbox: recording message %s: %w", q.id, err)
	}
	return result, nil
}

func (s *Sender) compose(ctx context.Context, q queued) (Message, error) {
	call := app.Call{Actor: authz.PolicyActor(SenderName), Door: app.Policy, CorrelationID: q.cause}
	switch q.kind {
	case KindPasswordReset:
		m, err := s.cfg.App.PasswordResetMail(ctx, call, q.accountID, q.cause)
		if err != nil {
			return Message{}, err
		}
		return resetMessage(q.id, s.resetLink(m), m), nil
	case KindTicketReply:
		if q.ticketID == nil {
			return Message{}, fmt.Errorf("%w: a reply message names no ticket", ticket.ErrTicketNotFound)
		}
		m, err := s.cfg.App.TicketReplyMail(ctx, call, q.accountID, *q.ticketID)
		if err != nil {
			return Message{}, err
		}
		return replyMessage(q.id, s.ticketLink(m.TicketID), m), nil
	}
	return Message{}, fmt.Errorf("no message of kind %q", q.kind)
}

// resetLink is the page that sets a new password; the token is the only secret in it, and
// the account id says whose. No email or name is ever in a URL.
func (s *Sender) resetLink(m support.ResetMail) string {
	u := *s.site
	u.Path = "/password/reset/" + m.AccountID + "/" + m.Token
	return u.String()
}

// ticketLink is the ticket's page on the site: its id only, behind sign-in.
func (s *Sender) ticketLink(ticketID string) string {
	u := *s.site
	u.Path = "/tickets/" + url.PathEscape(ticketID)
	return u.String()
}

// replyMessage tells the requester that support replied and where to read it. The reply
// itself is not in the email: a ticket can hold health details, and mail is neither private
// nor under the account's sign-in.
func replyMessage(id uuid.UUID, link string, m support.ReplyMail) Message {
	text := fmt.Sprintf(`Hello %s,

The Psychiatry-UK support team has replied to your support ticket. To read the reply, and to answer it, sign in to the Support Centre and open your ticket:

%s

For your privacy the reply is not copied into this email.

Psychiatry-UK Support Centre
`, m.Name, link)
	return Message{ID: id, To: m.To, ToName: m.Name, Subject: "The support team has replied to your ticket", Text: text}
}

func resetMessage(id uuid.UUID, link string, m support.ResetMail) Message {
	until := m.ExpiresAt.In(london).Format("15:04 on 2 January 2006")
	text := fmt.Sprintf(`Hello %s,

Someone, we hope you, asked to reset the password of your Psychiatry-UK Support Centre account. To choose a new password, open this link:

%s

The link works once, until %s (UK time). If you did not ask for it, you can ignore this email: your password stays as it is.

Psychiatry-UK Support Centre
`, m.Name, link, until)
	return Message{ID: id, To: m.To, ToName: m.Name, Subject: "Reset your Psychiatry-UK Support Centre password", Text: text}
}

var london = func() *time.Location {
	l, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return l
}()

func redact(s, address string) string {
	if address == "" {
		return s
	}
	return strings.ReplaceAll(s, address, "<recipient>")
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
