package mail_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"ledgerdesk/adapters/mail"
	"ledgerdesk/adapters/mail/mailtest"
	"ledgerdesk/adapters/wmstore"
	"ledgerdesk/app"
	"ledgerdesk/app/authz"
	"ledgerdesk/commands/support/supporttest"
	"ledgerdesk/domain/account"
	"ledgerdesk/eventstore"
	mailpolicy "ledgerdesk/policies/mail"
	"ledgerdesk/projections"
	"ledgerdesk/projector"
)

var ctx = context.Background()

const (
	email = "jo@example.co.uk"
	pw    = "correct horse battery staple"
	site  = "https://support.example.org"
)

// world is a support centre on a fresh database with an account to reset, a real SMTP
// server, and a sender on the support service's clock.
type world struct {
	env     *supporttest.Env
	app     *app.App
	smtp    *mailtest.Server
	sender  *mailpolicy.Sender
	account string
	logs    *bytes.Buffer
}

func newWorld(t *testing.T, tweak func(*mailpolicy.SenderConfig)) *world {
	t.Helper()
	env := supporttest.New(t)
	a, err := app.New(app.Config{Commands: env.Deps, DB: env.Pool, Support: env.Service, Now: env.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	srv := mailtest.Start(t, mailtest.Options{})
	transport, err := mail.NewSMTP(mail.SMTPConfig{Host: srv.Host, Port: srv.Port, TLS: mail.NoTLS, From: "Support Centre <support@practice.example>"})
	if err != nil {
		t.Fatal(err)
	}
	logs := &bytes.Buffer{}
	cfg := mailpolicy.SenderConfig{App: a, DB: env.Pool, Transport: transport, SiteURL: site, Now: env.Clock.Now,
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	if tweak != nil {
		tweak(&cfg)
	}
	s, err := mailpolicy.NewSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	w := &world{env: env, app: a, smtp: srv, sender: s, logs: logs}
	w.account = env.Register(t, account.RealmSupport, account.RoleRequester, email, "Jo Bloggs", pw)
	return w
}

// runOutbox runs the outbox policy on a projector, as serve does.
func (w *world) runOutbox(t *testing.T) {
	t.Helper()
	r, err := projector.NewRunner(ctx, projector.Config{Store: w.env.Store, DB: w.env.Pool, Projections: []projections.Projection{mailpolicy.NewOutbox()}})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = r.Run(runCtx) }()
	t.Cleanup(func() { cancel(); <-done })
}

func (w *world) requestReset(t *testing.T) {
	t.Helper()
	if err := w.app.RequestPasswordReset(ctx, app.Call{Actor: authz.VisitorActor(), Door: app.Web}, account.RealmSupport, email); err != nil {
		t.Fatal(err)
	}
}

func (w *world) queued(t *testing.T) int {
	t.Helper()
	var n int
	if err := w.env.Pool.QueryRow(ctx, `SELECT count(*) FROM mail_outbox`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// waitQueued waits until the outbox policy has queued n messages.
func (w *world) waitQueued(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for w.queued(t) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d messages queued, want %d", w.queued(t), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (w *world) sendDue(t *testing.T) mailpolicy.Outcome {
	t.Helper()
	out, err := w.sender.SendDue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

type row struct {
	status   string
	attempts int
	next     *time.Time
	lastErr  *string
}

func (w *world) row(t *testing.T) row {
	t.Helper()
	var r row
	if err := w.env.Pool.QueryRow(ctx, `SELECT status, attempts, next_attempt_at, last_error FROM mail_outbox`).Scan(&r.status, &r.attempts, &r.next, &r.lastErr); err != nil {
		t.Fatal(err)
	}
	return r
}

var linkPattern = regexp.MustCompile(regexp.QuoteMeta(site) + `/password/reset/([^/\s]+)/([A-Za-z0-9_-]+)`)

func TestAResetRequestIsMailedOnceWithALinkThatSetsTheNewPassword(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	w.runOutbox(t)
	w.requestReset(t)
	w.waitQueued(t, 1)
	if out := w.sendDue(t); out != (mailpolicy.Outcome{Sent: 1}) {
		t.Fatalf("first pass: %+v", out)
	}
	if out := w.sendDue(t); out != (mailpolicy.Outcome{}) {
		t.Fatalf("second pass sent again: %+v", out)
	}
	got := w.smtp.WaitFor(t, 1)
	if len(got) != 1 || got[0].To[0] != email {
		t.Fatalf("received %+v", got)
	}
	var id uuid.UUID
	if err := w.env.Pool.QueryRow(ctx, `SELECT message_id FROM mail_outbox`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if got[0].Header("Message-Id") != "<"+id.String()+"@practice.example>" {
		t.Errorf("Message-ID %q, want the outbox's message id", got[0].Header("Message-Id"))
	}
	m := linkPattern.FindStringSubmatch(got[0].Text())
	if m == nil || m[1] != w.account {
		t.Fatalf("no reset link for the account in:\n%s", got[0].Text())
	}
	// The whole address, escaped or not: two letters of it turn up by chance in a random
	// token ("…127jo63…" failed a run).
	if strings.Contains(m[0], email) || strings.Contains(m[0], url.QueryEscape(email)) || strings.Contains(m[0], "@") || strings.Contains(m[0], "%40") {
		t.Errorf("the link carries the email: %s", m[0])
	}
	anon := app.Call{Actor: authz.VisitorActor(), Door: app.Web}
	if err := w.app.CompletePasswordReset(ctx, anon, m[1], m[2], "a brand new passphrase here"); err != nil {
		t.Fatalf("the mailed link: %v", err)
	}
	if err := w.app.CompletePasswordReset(ctx, anon, m[1], m[2], "yet another new passphrase"); !errors.Is(err, account.ErrResetTokenUsed) {
		t.Fatalf("the link a second time: %v, want ErrResetTokenUsed", err)
	}
	// Neither the address nor the token is in the outbox, or in what the sender logged.
	var text string
	if err := w.env.Pool.QueryRow(ctx, `SELECT row_to_json(o)::text FROM mail_outbox o`).Scan(&text); err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{email, m[2]} {
		if strings.Contains(text, secret) || strings.Contains(w.logs.String(), secret) {
			t.Errorf("%q is in the outbox row or the log", secret)
		}
	}
}

func TestARedeliveredEventQueuesNothingMore(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	w.requestReset(t)
	e := resetEvent(t, w)
	ob := mailpolicy.NewOutbox()
	for range 3 {
		apply(t, w, ob, e, true)
	}
	if n := w.queued(t); n != 1 {
		t.Fatalf("%d messages queued for one event delivered three times", n)
	}
	w.sendDue(t)
	apply(t, w, ob, e, true)
	if out := w.sendDue(t); out != (mailpolicy.Outcome{}) || len(w.smtp.Messages()) != 1 {
		t.Fatalf("after a redelivery of a sent message: %+v, %d received", out, len(w.smtp.Messages()))
	}
}

// resetEvent is the account's PasswordResetRequested as the store recorded it.
func resetEvent(t *testing.T, w *world) eventstore.RecordedEvent {
	t.Helper()
	recs, err := w.env.Store.ReadStream(ctx, account.StreamID(w.account), 1, 100)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(recs) - 1; i >= 0; i-- {
		if recs[i].Type == (account.PasswordResetRequested{}).EventType() {
			return recs[i]
		}
	}
	t.Fatal("no reset requested")
	return eventstore.RecordedEvent{}
}

// apply delivers e to p in a transaction of its own, as the runner does, and commits it or
// rolls it back.
func apply(t *testing.T, w *world, p projections.Projection, e eventstore.RecordedEvent, commit bool) {
	t.Helper()
	tx, err := w.env.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	wtx := wmstore.NewTx(tx, true)
	wtx.BeginMessage()
	if err := p.Apply(ctx, wtx, e); err != nil {
		t.Fatal(err)
	}
	wtx.EndMessage()
	if err := wtx.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if commit {
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

func TestNothingIsSentForATransactionThatRolledBack(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	w.requestReset(t)
	e := resetEvent(t, w)
	apply(t, w, mailpolicy.NewOutbox(), e, false)
	if n := w.queued(t); n != 0 {
		t.Fatalf("%d messages queued by a rolled-back delivery", n)
	}
	if out := w.sendDue(t); out != (mailpolicy.Outcome{}) {
		t.Fatalf("sent for a rolled-back delivery: %+v", out)
	}
	// The same delivery committed is what queues the message.
	apply(t, w, mailpolicy.NewOutbox(), e, true)
	if out := w.sendDue(t); out != (mailpolicy.Outcome{Sent: 1}) {
		t.Fatalf("after the committed delivery: %+v", out)
	}
	if n := len(w.smtp.WaitFor(t, 1)); n != 1 {
		t.Fatalf("%d received", n)
	}
}

func TestARefusedMessageIsRetriedWithBackoffAndSentOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	w.requestReset(t)
	apply(t, w, mailpolicy.NewOutbox(), resetEvent(t, w), true)
	w.smtp.RefuseNext(2)

	start := w.env.Clock.Now()
	if out := w.sendDue(t); out != (mailpolicy.Outcome{Retrying: 1}) {
		t.Fatalf("first attempt: %+v", out)
	}
	r := w.row(t)
	if r.status != "pending" || r.attempts != 1 || r.next == nil || !r.next.Equal(start.Add(w.sender.Backoff(1))) {
		t.Fatalf("after one refusal: %+v, want the next attempt %v later", r, w.sender.Backoff(1))
	}
	if r.lastErr == nil || !strings.Contains(*r.lastErr, "451") || strings.Contains(*r.lastErr, email) {
		t.Errorf("the refusal recorded as %v: want its code, without the address", r.lastErr)
	}
	// Not due yet: nothing is tried.
	w.env.Clock.Advance(w.sender.Backoff(1) - time.Second)
	if out := w.sendDue(t); out != (mailpolicy.Outcome{}) || w.smtp.Refused() != 1 {
		t.Fatalf("before the back-off ran out: %+v, %d refusals", out, w.smtp.Refused())
	}
	w.env.Clock.Advance(time.Second)
	if out := w.sendDue(t); out != (mailpolicy.Outcome{Retrying: 1}) {
		t.Fatalf("second attempt: %+v", out)
	}
	if w.sender.Backoff(2) <= w.sender.Backoff(1) {
		t.Errorf("the back-off does not grow: %v then %v", w.sender.Backoff(1), w.sender.Backoff(2))
	}
	if r := w.row(t); !r.next.Equal(w.env.Clock.Now().Add(w.sender.Backoff(2))) {
		t.Fatalf("after two refusals the next attempt is at %v, want %v later", r.next, w.sender.Backoff(2))
	}
	w.env.Clock.Advance(w.sender.Backoff(2))
	if out := w.sendDue(t); out != (mailpolicy.Outcome{Sent: 1}) {
		t.Fatalf("third attempt: %+v", out)
	}
	if got := w.smtp.WaitFor(t, 1); len(got) != 1 || w.smtp.Refused() != 2 {
		t.Fatalf("%d received, %d refused", len(got), w.smtp.Refused())
	}
	if strings.Contains(w.logs.String(), email) {
		t.Errorf("the log quotes the address:\n%s", w.logs.String())
	}
	if r := w.row(t); r.status != "sent" || r.attempts != 3 {
		t.Fatalf("the row at the end: %+v", r)
	}
}

func TestAPermanentRefusalOrTooManyAttemptsGivesUp(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	w.requestReset(t)
	apply(t, w, mailpolicy.NewOutbox(), resetEvent(t, w), true)
	w.smtp.RejectNext(1)
	if out := w.sendDue(t); out != (mailpolicy.Outcome{Failed: 1}) {
		t.Fatalf("a 550: %+v", out)
	}
	w.env.Clock.Advance(24 * time.Hour)
	if out := w.sendDue(t); out != (mailpolicy.Outcome{}) || len(w.smtp.Messages()) != 0 {
		t.Fatalf("a failed message was tried again: %+v", out)
	}

	w2 := newWorld(t, func(c *mailpolicy.SenderConfig) { c.MaxAttempts = 2 })
	w2.requestReset(t)
	apply(t, w2, mailpolicy.NewOutbox(), resetEvent(t, w2), true)
	w2.smtp.RefuseNext(5)
	if out := w2.sendDue(t); out != (mailpolicy.Outcome{Retrying: 1}) {
		t.Fatalf("attempt 1 of 2: %+v", out)
	}
	w2.env.Clock.Advance(w2.sender.Backoff(1))
	if out := w2.sendDue(t); out != (mailpolicy.Outcome{Failed: 1}) {
		t.Fatalf("attempt 2 of 2: %+v", out)
	}
	if r := w2.row(t); r.status != "failed" || r.attempts != 2 {
		t.Fatalf("after the last attempt: %+v", r)
	}
}

func TestOnlyTheNewestLinkIsMailedAndAnExpiredOneIsNot(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	w.runOutbox(t)
	w.requestReset(t)
	w.requestReset(t)
	w.waitQueued(t, 2)
	if out := w.sendDue(t); out != (mailpolicy.Outcome{Sent: 1, Dropped: 1}) {
		t.Fatalf("two requests before the sender ran: %+v, want the replaced link dropped", out)
	}
	w.requestReset(t)
	w.waitQueued(t, 3)
	w.env.Clock.Advance(account.ResetTokenLifetime)
	if out := w.sendDue(t); out != (mailpolicy.Outcome{Dropped: 1}) {
		t.Fatalf("an expired link: %+v", out)
	}
	if n := len(w.smtp.Messages()); n != 1 {
		t.Fatalf("%d messages received, want the one working link", n)
	}
}

func TestASenderWithoutItsPartsOrWithABadSiteURLIsRefused(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	transport, _ := mail.NewDir(t.TempDir(), "support@practice.example", nil)
	for _, bad := range []string{"", "support.example.org", "ftp://support.example.org", "https://support.example.org/help", "https://support.example.org?x=1"} {
		if _, err := mailpolicy.NewSender(mailpolicy.SenderConfig{App: w.app, DB: w.env.Pool, Transport: transport, SiteURL: bad}); !errors.Is(err, mailpolicy.ErrSenderConfig) || !strings.Contains(err.Error(), "SiteURL") {
			t.Errorf("SiteURL %q: %v", bad, err)
		}
	}
	if _, err := mailpolicy.NewSender(mailpolicy.SenderConfig{App: w.app, DB: w.env.Pool, SiteURL: site}); !errors.Is(err, mailpolicy.ErrSenderConfig) {
		t.Errorf("no transport: %v", err)
	}
}

// Two senders (two serve processes) working one outbox at once send each message once:
// a row being sent is locked, and the other sender skips it.
func TestTwoSendersAtOnceSendEachMessageOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	other, err := mailpolicy.NewSender(mailpolicy.SenderConfig{App: w.app, DB: w.env.Pool, Transport: mustSMTP(t, w.smtp), SiteURL: site, Now: w.env.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	const n = 6
	for i := range n {
		addr := fmt.Sprintf("person%d@example.co.uk", i)
		w.env.Register(t, account.RealmSupport, account.RoleRequester, addr, "Person Number", pw)
		if err := w.app.RequestPasswordReset(ctx, app.Call{Actor: authz.VisitorActor(), Door: app.Web}, account.RealmSupport, addr); err != nil {
			t.Fatal(err)
		}
	}
	w.runOutbox(t)
	w.waitQueued(t, n)
	outs := make(chan mailpolicy.Outcome, 2)
	errs := make(chan error, 2)
	for _, s := range []*mailpolicy.Sender{w.sender, other} {
		go func() {
			out, err := s.SendDue(ctx)
			outs <- out
			errs <- err
		}()
	}
	total := 0
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
		total += (<-outs).Sent
	}
	got := w.smtp.WaitFor(t, n)
	ids := map[string]bool{}
	for _, m := range got {
		ids[m.Header("Message-Id")] = true
	}
	if total != n || len(got) != n || len(ids) != n {
		t.Fatalf("%d sent, %d received with %d distinct Message-IDs; want %d of each", total, len(got), len(ids), n)
	}
}

func mustSMTP(t *testing.T, srv *mailtest.Server) *mail.SMTP {
	t.Helper()
	s, err := mail.NewSMTP(mail.SMTPConfig{Host: srv.Host, Port: srv.Port, TLS: mail.NoTLS, From: "support@practice.example"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}
