package support_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ledgerdesk/app/authz"
	"ledgerdesk/cmd/ledgerdesk/internal/cli"
	"ledgerdesk/cmd/ledgerdesk/internal/clitest"
	supportcli "ledgerdesk/cmd/ledgerdesk/internal/support"
	"ledgerdesk/projector"

	"ledgerdesk/cmd/ledgerdesk/internal/wiring"

	"ledgerdesk/adapters/postgres/pgtest"
	support "ledgerdesk/commands/support"
	"ledgerdesk/commands/support/attachment"
	"ledgerdesk/commands/support/supporttest"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/contact"
	"ledgerdesk/domain/ticket"
	policies "ledgerdesk/policies/support"
)

// TestMain keeps these tests, which wait for read models, apart from the process tests
// (see clitest.Main).
func TestMain(m *testing.M) { os.Exit(clitest.Main(m, false)) }

// fixture is a fresh database and master key, as a deployment's environment gives them.
type fixture struct {
	d *wiring.Runtime
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	t.Setenv("DATABASE_URL", pgtest.NewDatabase(t))
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	t.Setenv("LEDGERDESK_MASTER_KEY", base64.StdEncoding.EncodeToString(key))
	t.Setenv("LEDGERDESK_ACTOR", "")
	t.Setenv("LEDGERDESK_ID_RETENTION", "")
	return &fixture{d: clitest.Open(t)}
}

// run runs the binary's root command with args and stdin, returning its output.
func (f *fixture) run(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	out, errOut, err := clitest.Exec(t, stdin, args...)
	return out + errOut, err
}

// ok runs args and fails the test on an error; it returns the trimmed output.
func (f *fixture) ok(t *testing.T, args ...string) string {
	t.Helper()
	out, err := f.run(t, "", args...)
	if err != nil {
		t.Fatalf("ledgerdesk %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(out)
}

func (f *fixture) events(t *testing.T) int64 { t.Helper(); return clitest.Events(t, f.d) }

// refused runs args, which must fail with every error in want and append nothing.
func (f *fixture) refused(t *testing.T, want []error, args ...string) {
	t.Helper()
	before := f.events(t)
	out, err := f.run(t, "", args...)
	if err == nil {
		t.Fatalf("ledgerdesk %s succeeded:\n%s", strings.Join(args, " "), out)
	}
	for _, w := range want {
		if !errors.Is(err, w) {
			t.Fatalf("ledgerdesk %s: %v, want %v", strings.Join(args, " "), err, w)
		}
	}
	if after := f.events(t); after != before {
		t.Fatalf("ledgerdesk %s failed yet appended %d events", strings.Join(args, " "), after-before)
	}
}

func (f *fixture) service(t *testing.T, now func() time.Time) *support.Service {
	t.Helper()
	svc, err := f.d.NewSupportService(now)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func TestSupportCommands(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	dir := t.TempDir()
	png := supporttest.TinyPNG(t)
	photo, html := filepath.Join(dir, "passport.png"), filepath.Join(dir, "passport.html")
	if err := errors.Join(os.WriteFile(photo, png, 0o600), os.WriteFile(html, []byte("<html><body>passport</body></html>"), 0o600)); err != nil {
		t.Fatal(err)
	}

	// Accounts: the same email on both sites, distinct accounts; malformed details refused.
	requester := f.ok(t, "accounts", "register", "--realm", "support", "--role", "requester", "--email", "jo@example.co.uk", "--name", "Jo Bloggs")
	agent := f.ok(t, "accounts", "register", "--realm", "support", "--role", "agent", "--email", "sam@support.example", "--name", "Sam Taylor")
	f.ok(t, "accounts", "register", "--realm", "support", "--role", "requester", "--email", "eve@example.com", "--name", "Eve Other")
	out, err := f.run(t, "a long portal passphrase\n", "accounts", "register", "--realm", "portal", "--role", "patient", "--email", "jo@example.co.uk", "--name", "Jo Bloggs", "--password-stdin")
	if err != nil {
		t.Fatal(err, out)
	}
	portal := strings.TrimSpace(out)
	if portal == requester {
		t.Fatal("the portal and support accounts are one")
	}
	f.refused(t, []error{account.ErrInvalidInput, contact.ErrInvalidEmail}, "accounts", "register", "--email", "jo@@example", "--name", "Jo")
	f.refused(t, []error{support.ErrEmailTaken}, "accounts", "register", "--email", "JO@example.co.uk", "--name", "Jo Again")
	f.refused(t, []error{account.ErrInvalidInput, contact.ErrInvalidIP}, "accounts", "block-ip", portal, "10.0.0.256", "--as", agent)
	// A requester acts as a patient, whom the application layer's rule refuses before the
	// support service looks, as it refuses a signed-in patient of the API.
	f.refused(t, []error{authz.ErrForbidden}, "accounts", "block-ip", portal, "10.0.0.1", "--as", requester)
	f.ok(t, "accounts", "block-ip", portal, "198.51.100.7", "--as", "sam@support.example")

	// A two-factor reset ticket with a photo; what is refused appends nothing.
	f.refused(t, []error{ticket.ErrInvalidInput, contact.ErrInvalidIP}, "tickets", "open", "--as", requester, "--category", "blocked_ip", "--subject", "Blocked", "--body", "help", "--ip", "1.2.3")
	f.refused(t, []error{ticket.ErrInvalidInput}, "tickets", "open", "--as", requester, "--category", "misc", "--subject", "x", "--body", "y")
	f.refused(t, []error{support.ErrUnknownActor}, "tickets", "open", "--category", "other", "--subject", "x", "--body", "y")
	tk := f.ok(t, "tickets", "open", "--as", "jo@example.co.uk", "--category", "two_factor_reset", "--subject", "Lost my phone", "--body", "The authenticator was on it.")
	f.refused(t, []error{ticket.ErrUnsupportedContentType, attachment.ErrUnsupportedType}, "tickets", "attach", tk, html, "--kind", "passport", "--as", requester)
	f.refused(t, []error{authz.ErrForbidden}, "tickets", "attach", tk, photo, "--kind", "passport", "--as", "eve@example.com")
	f.refused(t, []error{ticket.ErrInvalidInput}, "tickets", "attach", tk, photo, "--kind", "student_card", "--expires-on", "2025-02-30", "--as", requester)
	big := filepath.Join(dir, "huge.png")
	if err := os.WriteFile(big, append(bytes.Clone(png), make([]byte, ticket.MaxAttachmentBytes)...), 0o600); err != nil {
		t.Fatal(err)
	}
	f.refused(t, []error{ticket.ErrAttachmentTooLarge}, "tickets", "attach", tk, big, "--kind", "passport", "--as", requester)
	doc := f.ok(t, "tickets", "attach", tk, photo, "--kind", "passport", "--as", requester)

	// The agents' queue and the work on the ticket.
	if list := f.ok(t, "tickets", "list", "--category", "two_factor_reset", "--unassigned"); !strings.Contains(list, tk) {
		t.Fatalf("queue:\n%s", list)
	}
	if list := f.ok(t, "tickets", "list", "--category", "payments"); strings.Contains(list, tk) {
		t.Fatalf("payments queue shows the two-factor ticket:\n%s", list)
	}
	// A requester's list is their own tickets; another requester's has none of them.
	if mine := f.ok(t, "tickets", "list", "--as", "jo@example.co.uk"); !strings.Contains(mine, tk) || !strings.Contains(mine, "Lost my phone") {
		t.Fatalf("the requester's own tickets:\n%s", mine)
	}
	if theirs := f.ok(t, "tickets", "list", "--as", "eve@example.com"); strings.Contains(theirs, tk) {
		t.Fatalf("another requester sees the ticket:\n%s", theirs)
	}
	f.refused(t, []error{ticket.ErrNotAssignedAgent}, "tickets", "view-document", tk, doc, "--out", filepath.Join(dir, "x"), "--as", agent)
	f.refused(t, []error{authz.ErrForbidden}, "tickets", "assign", tk, agent, "--as", requester)
	f.ok(t, "tickets", "assign", tk, "sam@support.example", "--as", agent)
	f.ok(t, "tickets", "note", tk, "Passport photo is sharp; checking the address.", "--as", agent)
	f.ok(t, "tickets", "reply", tk, "Thanks, we are checking your passport.", "--as", agent)
	f.refused(t, []error{authz.ErrForbidden}, "tickets", "reply", tk, "me too", "--as", "eve@example.com")
	f.refused(t, []error{authz.ErrForbidden}, "tickets", "note", tk, "sneaky", "--as", requester)
	// An agent of the support site is not a requester, whatever --role says.
	f.refused(t, []error{cli.ErrBadInput}, "tickets", "note", tk, "as a patient?", "--as", agent, "--role", "patient")
	f.refused(t, []error{ticket.ErrInvalidTransition}, "tickets", "status", tk, "closed", "--as", agent)
	f.refused(t, []error{ticket.ErrInvalidInput}, "tickets", "priority", tk, "asap", "--as", agent)
	f.ok(t, "tickets", "priority", tk, "high", "--as", agent)
	saved := filepath.Join(dir, "seen.png")
	f.ok(t, "tickets", "view-document", tk, doc, "--out", saved, "--as", agent)
	if got, err := os.ReadFile(saved); err != nil || !bytes.Equal(got, png) {
		t.Fatalf("the document the agent saw differs (%v)", err)
	}

	// Verification needs a portal account with two-factor on; then the policy resets it.
	f.refused(t, []error{account.ErrTwoFactorNotEnabled}, "tickets", "verify-identity", tk, "--portal-account", "jo@example.co.uk", "--as", agent)
	f.refused(t, []error{account.ErrWrongRealm}, "tickets", "verify-identity", tk, "--portal-account", requester, "--as", agent)
	if err := supporttest.EnrolTwoFactor(ctx, &supporttest.Env{Service: f.service(t, nil), Clock: supporttest.NewClock(time.Now())}, portal); err != nil {
		t.Fatal(err)
	}
	if out := f.ok(t, "tickets", "verify-identity", tk, "--portal-account", "jo@example.co.uk", "--as", agent); !strings.Contains(out, "two-factor reset on portal account "+portal) {
		t.Fatalf("verify-identity:\n%s", out)
	}
	if out := f.ok(t, "accounts", "find", "jo@example.co.uk"); !strings.Contains(out, portal) || !strings.Contains(out, "off") {
		t.Fatalf("accounts find:\n%s", out)
	}
	if out := f.ok(t, "accounts", "show", portal); !strings.Contains(out, "reset") || !strings.Contains(out, "198.51.100.7") {
		t.Fatalf("accounts show:\n%s", out)
	}
	f.ok(t, "accounts", "unblock-ip", portal, "198.51.100.7", "--as", agent)
	f.refused(t, []error{account.ErrIPNotBlocked}, "accounts", "unblock-ip", portal, "198.51.100.7", "--as", agent)
	if mine := f.ok(t, "tickets", "show", tk, "--as", requester); !strings.Contains(mine, "Thanks, we are checking your passport.") || strings.Contains(mine, "Passport photo is sharp") {
		t.Fatalf("the requester's view of the ticket shows the internal note, or not the reply:\n%s", mine)
	}
	f.refused(t, []error{support.ErrUnknownActor}, "tickets", "show", tk, "--as", "no-such-account")
	show := f.ok(t, "tickets", "show", tk)
	for _, want := range []string{"Lost my phone", "* ", "internal note", "viewed document " + doc, "identity verified", "two-factor reset on portal account " + portal, "Passport photo is sharp"} {
		if !strings.Contains(show, want) {
			t.Fatalf("tickets show lacks %q:\n%s", want, show)
		}
	}
	f.ok(t, "tickets", "status", tk, "solved", "--as", agent)
	f.ok(t, "tickets", "status", tk, "closed", "--as", agent)

	// Consent to IT support.
	f.refused(t, []error{authz.ErrForbidden}, "accounts", "grant-access", portal, "--scopes", "change_password", "--as", agent)
	f.refused(t, []error{account.ErrInvalidInput}, "accounts", "grant-access", portal, "--scopes", "everything", "--as", portal)
	grant := f.ok(t, "accounts", "grant-access", portal, "--scopes", "change_password", "--for", "2h", "--as", portal)
	if _, err := f.run(t, "set by IT support today\n", "accounts", "set-password", portal, "--grant", grant, "--as", agent); err != nil {
		t.Fatal(err)
	}
	f.ok(t, "accounts", "revoke-access", portal, grant, "--as", portal)
	before := f.events(t)
	if _, err := f.run(t, "and once more today\n", "accounts", "set-password", portal, "--grant", grant, "--as", agent); !errors.Is(err, account.ErrNoActiveGrant) || f.events(t) != before {
		t.Fatalf("set-password after revoking: %v", err)
	}
	if out := f.ok(t, "accounts", "request-password-reset", "jo@example.co.uk"); !strings.Contains(out, "token ") {
		t.Fatalf("request-password-reset:\n%s", out)
	}
}

// The retention job as the CLI runs it: a ticket closed 40 days ago (its history written
// by a service whose clock is set back) loses its identity document; a recent one keeps it.
func TestDestroyExpiredDocumentsCommand(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	clock := supporttest.NewClock(time.Now().Add(-40 * 24 * time.Hour))
	svc := f.service(t, clock.Now)
	env := &supporttest.Env{Service: svc, Clock: clock}
	requester := env.Register(t, account.RealmSupport, account.RoleRequester, "jo@example.co.uk", "Jo", "")
	agent := env.Register(t, account.RealmSupport, account.RoleAgent, "sam@support.example", "Sam", "")
	closed := func() (string, string) {
		tk, err := svc.OpenTicket(ctx, support.NewTicket{Category: ticket.CategoryTwoFactorReset, Subject: "Lost phone", Body: "Help"}, supporttest.Meta(requester))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := svc.Attach(ctx, support.Attachment{TicketID: tk, Kind: ticket.KindCouncilTaxBill, Content: supporttest.TinyPDF}, supporttest.Meta(requester))
		if err != nil {
			t.Fatal(err)
		}
		if err := errors.Join(svc.ChangeStatus(ctx, tk, ticket.StatusSolved, supporttest.Meta(agent)), svc.ChangeStatus(ctx, tk, ticket.StatusClosed, supporttest.Meta(agent))); err != nil {
			t.Fatal(err)
		}
		return tk, doc
	}
	old, oldDoc := closed()
	clock.Advance(39 * 24 * time.Hour)
	_, recentDoc := closed()

	if _, err := f.run(t, "", "tickets", "destroy-expired-documents", "--retention", "30m"); !errors.Is(err, policies.ErrInvalidRetention) {
		t.Fatalf("a 30-minute retention: %v", err)
	}
	t.Setenv("LEDGERDESK_ID_RETENTION", "forever")
	if _, err := f.run(t, "", "tickets", "destroy-expired-documents"); !errors.Is(err, policies.ErrInvalidRetention) {
		t.Fatalf("LEDGERDESK_ID_RETENTION=forever: %v", err)
	}
	t.Setenv("LEDGERDESK_ID_RETENTION", "30d")
	if out := f.ok(t, "tickets", "destroy-expired-documents"); !strings.Contains(out, "destroyed 1 identity documents on 1 tickets") {
		t.Fatalf("destroy-expired-documents:\n%s", out)
	}
	var held int
	if err := f.d.DB.QueryRow(ctx, `SELECT count(*) FROM attachment_blobs WHERE attachment_id = ANY($1)`, []string{oldDoc, recentDoc}).Scan(&held); err != nil || held != 1 {
		t.Fatalf("%d of the two documents still held (%v), want only the recent one", held, err)
	}
	st, _ := svc.Ticket(ctx, old)
	if !st.Documents[0].Destroyed() {
		t.Fatal("no DocumentDestroyed on the old ticket")
	}
	if out := f.ok(t, "tickets", "destroy-expired-documents"); !strings.Contains(out, "destroyed 0") {
		t.Fatalf("a second run:\n%s", out)
	}

	// The job serve runs sweeps at once, then hourly: a third ticket, closed long enough
	// ago, goes on its first sweep.
	clock.Advance(-39 * 24 * time.Hour)
	third, thirdDoc := closed()
	rms, _ := wiring.SupportProjections(svc, f.d)
	if _, err := projector.CatchUp(ctx, f.d.DB, f.d.Store, rms, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	jobs, err := supportcli.Jobs(f.d)
	if err != nil {
		t.Fatal(err)
	}
	jobCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- jobs[0](jobCtx) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		st, err := svc.Ticket(ctx, third)
		if err != nil {
			t.Fatal(err)
		}
		if st.Documents[0].Destroyed() {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the periodic job did not destroy %s", thirdDoc)
		}
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestTheSupportDemoLoadsOnceAndLeavesAClosedTicketDueForDestruction(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	now := time.Now()
	if err := supportcli.Seed(ctx, f.d, now); err != nil {
		t.Fatal(err)
	}
	first := f.events(t)
	if err := supportcli.Seed(ctx, f.d, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if again := f.events(t); again != first {
		t.Fatalf("seeding again appended %d events", again-first)
	}
	list := f.ok(t, "tickets", "list", "--status", "new,open,pending,on_hold,solved,closed")
	for _, want := range []string{"two_factor_reset", "blocked_ip", "payments", "login_trouble", "equipment_test", "closed", "pending", "on_hold", "solved", "new", "open"} {
		if !strings.Contains(list, want) {
			t.Fatalf("the demo queue lacks %q:\n%s", want, list)
		}
	}
	if out := f.ok(t, "tickets", "destroy-expired-documents"); !strings.Contains(out, "destroyed 1 identity documents") {
		t.Fatalf("the demo's old ticket:\n%s", out)
	}
	// Seeding after the sweep and the policies have run still adds nothing.
	rms, pols := wiring.SupportProjections(f.service(t, nil), f.d)
	if _, err := projector.CatchUp(ctx, f.d.DB, f.d.Store, append(rms, pols...), 30*time.Second); err != nil {
		t.Fatal(err)
	}
	first = f.events(t)
	if err := supportcli.Seed(ctx, f.d, now.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if again := f.events(t); again != first {
		t.Fatalf("seeding after the sweep appended %d events", again-first)
	}
}

// Without LEDGERDESK_MASTER_KEY every process of a development deployment finds the same
// generated key, so a document sealed by one opens in the next; the key is kept in a file
// of its own (mode 0600), not in the database beside what it protects.
func TestWithoutAMasterKeyTheDevelopmentKeyIsSharedByEveryProcess(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	keyFile := filepath.Join(t.TempDir(), "dev-master-key")
	cfg := f.d.Config
	cfg.MasterKey, cfg.DevKeyFile = nil, keyFile
	open := func() *wiring.Runtime {
		r, err := wiring.Open(ctx, cfg, f.d.Log)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = r.Close() })
		return r
	}
	a, err := open().MasterKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, err := open().MasterKey(ctx)
	if err != nil || len(a) != 32 || !bytes.Equal(a, b) {
		t.Fatalf("two processes' development keys differ (%v)", err)
	}
	if st, err := os.Stat(keyFile); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("the development key file: %v, %v; want it mode 0600", st, err)
	}
	var inTable int
	if err := f.d.DB.QueryRow(ctx, `SELECT count(*) FROM support_development_key`).Scan(&inTable); err != nil || inTable != 0 {
		t.Fatalf("keys kept in the database: %d (%v)", inTable, err)
	}
	t.Setenv("LEDGERDESK_MASTER_KEY", "not base64!")
	if _, err := wiring.ConfigOf(ctx); err == nil || !strings.Contains(err.Error(), "LEDGERDESK_MASTER_KEY") {
		t.Fatalf("a malformed LEDGERDESK_MASTER_KEY: %v", err)
	}
}

// The auto-close job as the CLI runs it: a ticket solved 8 days ago (its history written
// by a service whose clock is set back) is closed as the sweep's system actor; one solved
// a day ago is left for its requester to reopen; a second run closes nothing.
func TestCloseSolvedCommand(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	clock := supporttest.NewClock(time.Now().Add(-8 * 24 * time.Hour))
	svc := f.service(t, clock.Now)
	env := &supporttest.Env{Service: svc, Clock: clock}
	requester := env.Register(t, account.RealmSupport, account.RoleRequester, "jo@example.co.uk", "Jo", "")
	agent := env.Register(t, account.RealmSupport, account.RoleAgent, "sam@support.example", "Sam", "")
	solved := func() string {
		tk, err := svc.OpenTicket(ctx, support.NewTicket{Category: ticket.CategoryOther, Subject: "Invoice", Body: "Charged twice"}, supporttest.Meta(requester))
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.ChangeStatus(ctx, tk, ticket.StatusSolved, supporttest.Meta(agent)); err != nil {
			t.Fatal(err)
		}
		return tk
	}
	old := solved()
	clock.Advance(7 * 24 * time.Hour)
	recent := solved()

	if out := f.ok(t, "tickets", "close-solved"); !strings.Contains(out, "closed 1 tickets") {
		t.Fatalf("close-solved:\n%s", out)
	}
	st, _ := svc.Ticket(ctx, old)
	if st.Status != ticket.StatusClosed {
		t.Fatalf("the ticket solved 8 days ago is %s", st.Status)
	}
	if st, _ := svc.Ticket(ctx, recent); st.Status != ticket.StatusSolved {
		t.Fatalf("the ticket solved a day ago is %s", st.Status)
	}
	if out := f.ok(t, "tickets", "close-solved"); !strings.Contains(out, "closed 0") {
		t.Fatalf("a second run:\n%s", out)
	}
}
