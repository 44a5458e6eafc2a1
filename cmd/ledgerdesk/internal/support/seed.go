package support

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"time"

	"github.com/google/uuid"
	"github.com/pquerna/otp/totp"

	"ledgerdesk/app"
	"ledgerdesk/app/authz"
	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
	"ledgerdesk/commands"
	support "ledgerdesk/commands/support"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/contact"
	"ledgerdesk/domain/ticket"
)

// demoRoot is the cause every demo command id is derived from, so that seeding
// again replays the same commands and adds nothing.
var demoRoot = uuid.MustParse("01950000-0000-7000-8000-00000000d5e0")

// DemoPassword is the password of the demo accounts that have one.
const DemoPassword = "demo passphrase for ledgerdesk"

// seeder issues demo commands at chosen moments of the past weeks, through the
// application layer: each account acts in the role its account gives it.
type seeder struct {
	ctx   context.Context
	a     *app.App
	svc   *support.Service
	clock time.Time
	now   time.Time
	roles map[string]authz.Role
}

func (s *seeder) at(ago time.Duration) { s.clock = s.now.Add(-ago) }

// call is actor's call for one step, with the step's derived command id.
func (s *seeder) call(step, actor string) app.Call {
	return app.Call{Actor: authz.Actor{Subject: actor, Role: s.roles[actor]}, Door: app.CLI,
		CommandID: commands.DerivedCommandID(demoRoot, "support demo: "+step)}
}

func (s *seeder) onTicket(step, actor, action, ticketID string, f func(*support.Service, commands.Metadata) error) error {
	return s.a.TicketStep(s.ctx, s.call(step, actor), action, ticketID, func(_ context.Context, svc *support.Service, meta commands.Metadata) error {
		return f(svc, meta)
	})
}

func (s *seeder) onAccount(step, actor, action, accountID string, f func(*support.Service, commands.Metadata) error) error {
	return s.a.AccountStep(s.ctx, s.call(step, actor), action, accountID, func(_ context.Context, svc *support.Service, meta commands.Metadata) error {
		return f(svc, meta)
	})
}

// register registers an account, by IT support, that then acts in role acts.
func (s *seeder) register(step string, realm account.Realm, role account.Role, email, name, password string, acts authz.Role) (string, error) {
	var id string
	err := s.onAccount(step, demoITSupport, "support.account.register", "", func(svc *support.Service, meta commands.Metadata) error {
		var err error
		id, err = svc.Register(s.ctx, support.Registration{Realm: realm, Role: role, Email: email, Name: name, Password: password}, meta)
		return err
	})
	s.roles[id] = acts
	return id, err
}

// enrol turns two-factor on, once: an account whose two-factor was reset since stays reset.
func (s *seeder) enrol(step, accountID string) error {
	_, err := s.enrolSecret(step, accountID)
	return err
}

// enrolSecret is enrol, and the authenticator secret when it was set up just now ("" when
// it had been before).
func (s *seeder) enrolSecret(step, accountID string) (string, error) {
	a, err := s.svc.Account(s.ctx, accountID)
	if err != nil || a.TwoFactorEnabled() || a.TwoFactorSecretRef != "" {
		return "", err
	}
	var e support.Enrolment
	if err := s.onAccount(step+" begin", accountID, "account.begin_two_factor", accountID, func(svc *support.Service, meta commands.Metadata) error {
		var err error
		e, err = svc.BeginTwoFactor(s.ctx, accountID, meta)
		return err
	}); err != nil {
		return "", err
	}
	code, err := totp.GenerateCode(e.Secret, s.clock)
	if err != nil {
		return "", err
	}
	err = s.onAccount(step+" confirm", accountID, "account.confirm_two_factor", accountID, func(svc *support.Service, meta commands.Metadata) error {
		return svc.ConfirmTwoFactor(s.ctx, accountID, e.SecretRef, code, meta)
	})
	if errors.Is(err, support.ErrWrongCode) {
		// Seeded before and reset since: the code was used then.
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return e.Secret, nil
}

func (s *seeder) open(step, requester string, c ticket.Category, subject, body, ip string) (string, error) {
	return s.a.OpenTicket(s.ctx, s.call(step, requester), support.NewTicket{Category: c, Subject: subject, Body: body, IP: ip})
}

// The demo's own actors: IT support registers the accounts, and the rate limiter blocks an
// address (acting as an administrator would by hand).
const (
	demoITSupport   = "demo:support"
	demoRateLimiter = "system:rate-limiter"
)

// Seed adds support accounts, portal accounts and tickets in several states and
// categories, dated over the past six weeks as of now; one closed two-factor reset ticket
// is past its retention period, so the first sweep destroys its document.
func Seed(ctx context.Context, d *wiring.Runtime, now time.Time) error {
	s := &seeder{ctx: ctx, now: now.UTC().Truncate(time.Minute),
		roles: map[string]authz.Role{demoITSupport: authz.ITSupport, demoRateLimiter: authz.Admin}}
	svc, err := d.NewSupportService(func() time.Time { return s.clock })
	if err != nil {
		return err
	}
	cmds, err := d.CommandDeps()
	if err != nil {
		return err
	}
	if s.a, err = app.New(app.Config{Commands: cmds, DB: d.DB, Support: svc, Logger: d.Log}); err != nil {
		return err
	}
	s.svc = svc
	day := 24 * time.Hour
	s.at(45 * day)
	errs := []error{}
	try := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	reg := func(step string, realm account.Realm, role account.Role, email, name, pw string, acts authz.Role) string {
		id, err := s.register(step, realm, role, email, name, pw, acts)
		try(err)
		return id
	}
	pw := DemoPassword
	sam := reg("agent sam", account.RealmSupport, account.RoleAgent, "sam.taylor@support.psychiatry.example", "Sam Taylor", pw, authz.SupportAgent)
	priya := reg("agent priya", account.RealmSupport, account.RoleAgent, "priya.shah@support.psychiatry.example", "Priya Shah", pw, authz.SupportAgent)
	joPortal := reg("portal jo", account.RealmPortal, account.RolePatient, "jo.bloggs@example.co.uk", "Jo Bloggs", pw, authz.Patient)
	alexPortal := reg("portal alex", account.RealmPortal, account.RolePatient, "alex.morgan@example.com", "Alex Morgan", pw, authz.Patient)
	ruthPortal := reg("portal ruth", account.RealmPortal, account.RoleClinician, "ruth.evans@clinicians.example", "Dr Ruth Evans", pw, authz.Clinician)
	jo := reg("support jo", account.RealmSupport, account.RoleRequester, "jo.bloggs@example.co.uk", "Jo Bloggs", pw, authz.Patient)
	alex := reg("support alex", account.RealmSupport, account.RoleRequester, "alex.morgan@example.com", "Alex Morgan", pw, authz.Patient)
	ruth := reg("support ruth", account.RealmSupport, account.RoleRequester, "ruth.evans@clinicians.example", "Dr Ruth Evans", pw, authz.Clinician)
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("support demo accounts: %w", err)
	}
	try(s.onAccount("address jo", joPortal, "account.set_postal_address", joPortal, func(svc *support.Service, meta commands.Metadata) error {
		return svc.SetPostalAddress(ctx, joPortal, contact.Address{Line1: "14 Park Row", Town: "Leeds", Postcode: "LS1 5HD"}, meta)
	}))
	try(s.onAccount("address alex", alexPortal, "account.set_postal_address", alexPortal, func(svc *support.Service, meta commands.Metadata) error {
		return svc.SetPostalAddress(ctx, alexPortal, contact.Address{Line1: "Flat 3", Line2: "27 Gloucester Road", Town: "Bristol", Postcode: "BS7 8AA"}, meta)
	}))
	// Staff sign in with an authenticator code: the demo agents' secrets are printed once,
	// when they are set up, to add to an authenticator app.
	samSecret, err := s.enrolSecret("2fa sam", sam)
	try(err)
	priyaSecret, err := s.enrolSecret("2fa priya", priya)
	try(err)
	try(s.enrol("2fa jo", joPortal))
	try(s.enrol("2fa alex", alexPortal))
	try(s.enrol("2fa ruth", ruthPortal))
	try(s.onAccount("block ruth", demoRateLimiter, "account.block_ip", ruthPortal, func(svc *support.Service, meta commands.Metadata) error {
		return svc.BlockIP(ctx, ruthPortal, "203.0.113.24", meta)
	}))
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("support demo accounts: %w", err)
	}

	photo, scan := demoPhoto(), demoScan
	// Alex lost a phone six weeks ago: verified, reset, solved and closed 40 days ago, so
	// the bill is past the 30-day retention.
	s.at(44 * day)
	alexTicket, err := s.open("ticket alex 2fa", alex, ticket.CategoryTwoFactorReset, "New phone, no codes", "I changed phones and the authenticator app did not come across.", "")
	if err != nil {
		return err
	}
	err = s.onTicket("attach alex bill", alex, "ticket.attach", alexTicket, func(svc *support.Service, meta commands.Metadata) error {
		_, err := svc.Attach(ctx, support.Attachment{TicketID: alexTicket, Kind: ticket.KindUtilityBill, Content: scan}, meta)
		return err
	})
	try(err)
	s.at(43 * day)
	try(s.onTicket("assign alex 2fa", sam, "ticket.assign", alexTicket, func(svc *support.Service, meta commands.Metadata) error {
		return svc.Assign(ctx, alexTicket, sam, meta)
	}))
	st, err := svc.Ticket(ctx, alexTicket)
	if err == nil && st.Identity == "" && len(st.Documents) == 1 {
		err = s.onTicket("view alex bill", sam, "ticket.identity_document.read", alexTicket, func(svc *support.Service, meta commands.Metadata) error {
			_, err := svc.ViewDocument(ctx, alexTicket, st.Documents[0].AttachmentID, meta)
			return err
		})
	}
	try(err)
	try(s.onTicket("verify alex", sam, "ticket.verify_identity", alexTicket, func(svc *support.Service, meta commands.Metadata) error {
		return svc.VerifyIdentity(ctx, support.Verification{TicketID: alexTicket, PortalAccountID: alexPortal, Decision: ticket.DecisionVerified}, meta)
	}))
	try(s.a.ReplyToTicket(ctx, s.call("reply alex 2fa", sam), alexTicket, "Your two-factor authentication has been reset. Please set it up again from My Profile."))
	try(s.a.ChangeTicketStatus(ctx, s.call("solve alex 2fa", sam), alexTicket, ticket.StatusSolved))
	s.at(40 * day)
	try(s.a.ChangeTicketStatus(ctx, s.call("close alex 2fa", sam), alexTicket, ticket.StatusClosed))

	// Ruth cannot see the login screen: her address was blocked after failed logins.
	s.at(6 * day)
	ruthIP, err := s.open("ticket ruth ip", ruth, ticket.CategoryBlockedIP, "Cannot see the login page", "Since Monday the portal does not load at all from my clinic.", "203.0.113.24")
	if err != nil {
		return err
	}
	s.at(5 * day)
	try(s.onTicket("assign ruth ip", priya, "ticket.assign", ruthIP, func(svc *support.Service, meta commands.Metadata) error {
		return svc.Assign(ctx, ruthIP, priya, meta)
	}))
	try(s.onTicket("priority ruth ip", priya, "ticket.set_priority", ruthIP, func(svc *support.Service, meta commands.Metadata) error {
		return svc.SetPriority(ctx, ruthIP, ticket.PriorityHigh, meta)
	}))
	try(s.a.AddTicketNote(ctx, s.call("note ruth ip", priya), ruthIP, "Blocked by the rate limiter after five failed logins; checking with Ruth before unblocking."))
	try(s.a.ReplyToTicket(ctx, s.call("reply ruth ip", priya), ruthIP, "Could you confirm you tried to log in several times on Monday morning?"))
	try(s.a.ChangeTicketStatus(ctx, s.call("pending ruth ip", priya), ruthIP, ticket.StatusPending))

	// Jo's two-factor reset waits for an agent, the passport photo attached.
	s.at(2 * day)
	joReset, err := s.open("ticket jo 2fa", jo, ticket.CategoryTwoFactorReset, "Lost my phone", "My phone was stolen with the authenticator app on it.", "")
	if err != nil {
		return err
	}
	err = s.onTicket("attach jo passport", jo, "ticket.attach", joReset, func(svc *support.Service, meta commands.Metadata) error {
		_, err := svc.Attach(ctx, support.Attachment{TicketID: joReset, Kind: ticket.KindPassport, Content: photo}, meta)
		return err
	})
	try(err)

	// Jo was charged twice: open, high priority, with Sam.
	s.at(3 * day)
	joPay, err := s.open("ticket jo payments", jo, ticket.CategoryPayments, "Charged twice for one appointment", "My card shows two payments of £250 on 12 February.", "")
	if err != nil {
		return err
	}
	try(s.onTicket("assign jo payments", sam, "ticket.assign", joPay, func(svc *support.Service, meta commands.Metadata) error {
		return svc.Assign(ctx, joPay, sam, meta)
	}))
	try(s.a.ChangeTicketStatus(ctx, s.call("open jo payments", sam), joPay, ticket.StatusOpen))
	try(s.onTicket("priority jo payments", sam, "ticket.set_priority", joPay, func(svc *support.Service, meta commands.Metadata) error {
		return svc.SetPriority(ctx, joPay, ticket.PriorityHigh, meta)
	}))
	try(s.a.AddTicketNote(ctx, s.call("note jo payments", sam), joPay, "Asked the accounts department to look at invoice INV-1042."))
	try(s.a.ReplyToTicket(ctx, s.call("reply jo payments", sam), joPay, "Thank you, we are looking into it with the accounts department."))

	// Alex still cannot get past a blank screen: on hold, with consent for IT support to
	// log in as Alex, and what IT support did under it.
	s.at(day)
	alexLogin, err := s.open("ticket alex login", alex, ticket.CategoryLoginTrouble, "Blank screen after login", "After I log in the page stays white. I tried two browsers.", "")
	if err != nil {
		return err
	}
	try(s.onTicket("assign alex login", priya, "ticket.assign", alexLogin, func(svc *support.Service, meta commands.Metadata) error {
		return svc.Assign(ctx, alexLogin, priya, meta)
	}))
	var grant string
	err = s.onAccount("grant alex", alexPortal, "account.grant_support_access", alexPortal, func(svc *support.Service, meta commands.Metadata) error {
		var err error
		grant, err = svc.GrantSupportAccess(ctx, support.Grant{AccountID: alexPortal, TicketID: alexLogin, Scopes: []account.Scope{account.ScopeLogInAs}, ExpiresAt: s.clock.Add(48 * time.Hour)}, meta)
		return err
	})
	try(err)
	if err == nil {
		try(s.onAccount("log in as alex", priya, "account.start_log_in_as", alexPortal, func(svc *support.Service, meta commands.Metadata) error {
			return svc.StartLogInAs(ctx, alexPortal, grant, meta)
		}))
		try(s.onAccount("action alex", priya, "account.record_support_action", alexPortal, func(svc *support.Service, meta commands.Metadata) error {
			return svc.RecordSupportAction(ctx, alexPortal, grant, "opened the dashboard: it loads for support", meta)
		}))
	}
	try(s.a.ChangeTicketStatus(ctx, s.call("hold alex login", priya), alexLogin, ticket.StatusOnHold))

	// Ruth's equipment test went well: solved.
	s.at(10 * day)
	ruthEq, err := s.open("ticket ruth equipment", ruth, ticket.CategoryEquipmentTest, "Camera test before clinic", "Could someone check my camera and microphone before Thursday?", "")
	if err != nil {
		return err
	}
	try(s.a.ReplyToTicket(ctx, s.call("reply ruth equipment", sam), ruthEq, "Camera and microphone both work well. Good luck on Thursday!"))
	try(s.a.ChangeTicketStatus(ctx, s.call("solve ruth equipment", sam), ruthEq, ticket.StatusSolved))
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("support demo tickets: %w", err)
	}
	d.Log.Info("support demo loaded", "agents", "sam.taylor@support.psychiatry.example, priya.shah@support.psychiatry.example", "password", DemoPassword)
	if samSecret != "" {
		d.Log.Info("demo agents' authenticator secrets (staff sign in at /staff/sign-in with a code; add these to an authenticator app, TOTP, 6 digits, 30 s)",
			"sam", samSecret, "priya", priyaSecret)
	} else {
		d.Log.Info("demo agents' authenticator secrets were printed when the demo was first loaded; a fresh data directory prints new ones")
	}
	return nil
}

// demoPhoto is a small real PNG standing in for a photo of a passport page.
func demoPhoto() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 8, 5))
	for x := range 8 {
		for y := range 5 {
			img.Set(x, y, color.RGBA{R: uint8(30 * x), G: 90, B: uint8(40 * y), A: 255})
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}

// demoScan is a minimal one-page PDF standing in for a scanned utility bill.
var demoScan = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
	"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
