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

// seeder issues demo commands at chosen moments of the past weeks.
type seeder struct {
	ctx   context.Context
	svc   *support.Service
	clock time.Time
	now   time.Time
}

func (s *seeder) at(ago time.Duration) { s.clock = s.now.Add(-ago) }

func (s *seeder) meta(step, actor string) commands.Metadata {
	return commands.Metadata{CommandID: commands.DerivedCommandID(demoRoot, "support demo: "+step), Actor: actor}
}

func (s *seeder) register(step string, realm account.Realm, role account.Role, email, name, password string) (string, error) {
	return s.svc.Register(s.ctx, support.Registration{Realm: realm, Role: role, Email: email, Name: name, Password: password}, s.meta(step, ""))
}

// enrol turns two-factor on, once: an account whose two-factor was reset since stays reset.
func (s *seeder) enrol(step, accountID string) error {
	a, err := s.svc.Account(s.ctx, accountID)
	if err != nil || a.TwoFactorEnabled() || a.TwoFactorSecretRef != "" {
		return err
	}
	e, err := s.svc.BeginTwoFactor(s.ctx, accountID, s.meta(step+" begin", accountID))
	if err != nil {
		return err
	}
	code, err := totp.GenerateCode(e.Secret, s.clock)
	if err != nil {
		return err
	}
	err = s.svc.ConfirmTwoFactor(s.ctx, accountID, e.SecretRef, code, s.meta(step+" confirm", accountID))
	if errors.Is(err, support.ErrWrongCode) {
		// Seeded before and reset since: the code was used then.
		return nil
	}
	return err
}

func (s *seeder) open(step, requester string, c ticket.Category, subject, body, ip string) (string, error) {
	return s.svc.OpenTicket(s.ctx, support.NewTicket{Category: c, Subject: subject, Body: body, IP: ip}, s.meta(step, requester))
}

// Seed adds support accounts, portal accounts and tickets in several states and
// categories, dated over the past six weeks as of now; one closed two-factor reset ticket
// is past its retention period, so the first sweep destroys its document.
func Seed(ctx context.Context, d *wiring.Runtime, now time.Time) error {
	s := &seeder{ctx: ctx, now: now.UTC().Truncate(time.Minute)}
	svc, err := d.NewSupportService(func() time.Time { return s.clock })
	if err != nil {
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
	reg := func(step string, realm account.Realm, role account.Role, email, name, pw string) string {
		id, err := s.register(step, realm, role, email, name, pw)
		try(err)
		return id
	}
	pw := DemoPassword
	sam := reg("agent sam", account.RealmSupport, account.RoleAgent, "sam.taylor@support.psychiatry.example", "Sam Taylor", pw)
	priya := reg("agent priya", account.RealmSupport, account.RoleAgent, "priya.shah@support.psychiatry.example", "Priya Shah", pw)
	joPortal := reg("portal jo", account.RealmPortal, account.RolePatient, "jo.bloggs@example.co.uk", "Jo Bloggs", pw)
	alexPortal := reg("portal alex", account.RealmPortal, account.RolePatient, "alex.morgan@example.com", "Alex Morgan", pw)
	ruthPortal := reg("portal ruth", account.RealmPortal, account.RoleClinician, "ruth.evans@clinicians.example", "Dr Ruth Evans", pw)
	jo := reg("support jo", account.RealmSupport, account.RoleRequester, "jo.bloggs@example.co.uk", "Jo Bloggs", pw)
	alex := reg("support alex", account.RealmSupport, account.RoleRequester, "alex.morgan@example.com", "Alex Morgan", pw)
	ruth := reg("support ruth", account.RealmSupport, account.RoleRequester, "ruth.evans@clinicians.example", "Dr Ruth Evans", pw)
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("support demo accounts: %w", err)
	}
	try(svc.SetPostalAddress(ctx, joPortal, contact.Address{Line1: "14 Park Row", Town: "Leeds", Postcode: "LS1 5HD"}, s.meta("address jo", joPortal)))
	try(svc.SetPostalAddress(ctx, alexPortal, contact.Address{Line1: "Flat 3", Line2: "27 Gloucester Road", Town: "Bristol", Postcode: "BS7 8AA"}, s.meta("address alex", alexPortal)))
	try(s.enrol("2fa jo", joPortal))
	try(s.enrol("2fa alex", alexPortal))
	try(s.enrol("2fa ruth", ruthPortal))
	try(svc.BlockIP(ctx, ruthPortal, "203.0.113.24", s.meta("block ruth", "system:rate-limiter")))
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
	_, err = svc.Attach(ctx, support.Attachment{TicketID: alexTicket, Kind: ticket.KindUtilityBill, Content: scan}, s.meta("attach alex bill", alex))
	try(err)
	s.at(43 * day)
	try(svc.Assign(ctx, alexTicket, sam, s.meta("assign alex 2fa", sam)))
	st, err := svc.Ticket(ctx, alexTicket)
	if err == nil && st.Identity == "" && len(st.Documents) == 1 {
		_, err = svc.ViewDocument(ctx, alexTicket, st.Documents[0].AttachmentID, s.meta("view alex bill", sam))
	}
	try(err)
	try(svc.VerifyIdentity(ctx, support.Verification{TicketID: alexTicket, PortalAccountID: alexPortal, Decision: ticket.DecisionVerified}, s.meta("verify alex", sam)))
	try(svc.Reply(ctx, alexTicket, "Your two-factor authentication has been reset. Please set it up again from My Profile.", s.meta("reply alex 2fa", sam)))
	try(svc.ChangeStatus(ctx, alexTicket, ticket.StatusSolved, s.meta("solve alex 2fa", sam)))
	s.at(40 * day)
	try(svc.ChangeStatus(ctx, alexTicket, ticket.StatusClosed, s.meta("close alex 2fa", sam)))

	// Ruth cannot see the login screen: her address was blocked after failed logins.
	s.at(6 * day)
	ruthIP, err := s.open("ticket ruth ip", ruth, ticket.CategoryBlockedIP, "Cannot see the login page", "Since Monday the portal does not load at all from my clinic.", "203.0.113.24")
	if err != nil {
		return err
	}
	s.at(5 * day)
	try(svc.Assign(ctx, ruthIP, priya, s.meta("assign ruth ip", priya)))
	try(svc.SetPriority(ctx, ruthIP, ticket.PriorityHigh, s.meta("priority ruth ip", priya)))
	try(svc.AddNote(ctx, ruthIP, "Blocked by the rate limiter after five failed logins; checking with Ruth before unblocking.", s.meta("note ruth ip", priya)))
	try(svc.Reply(ctx, ruthIP, "Could you confirm you tried to log in several times on Monday morning?", s.meta("reply ruth ip", priya)))
	try(svc.ChangeStatus(ctx, ruthIP, ticket.StatusPending, s.meta("pending ruth ip", priya)))

	// Jo's two-factor reset waits for an agent, the passport photo attached.
	s.at(2 * day)
	joReset, err := s.open("ticket jo 2fa", jo, ticket.CategoryTwoFactorReset, "Lost my phone", "My phone was stolen with the authenticator app on it.", "")
	if err != nil {
		return err
	}
	_, err = svc.Attach(ctx, support.Attachment{TicketID: joReset, Kind: ticket.KindPassport, Content: photo}, s.meta("attach jo passport", jo))
	try(err)

	// Jo was charged twice: open, high priority, with Sam.
	s.at(3 * day)
	joPay, err := s.open("ticket jo payments", jo, ticket.CategoryPayments, "Charged twice for one appointment", "My card shows two payments of £250 on 12 February.", "")
	if err != nil {
		return err
	}
	try(svc.Assign(ctx, joPay, sam, s.meta("assign jo payments", sam)))
	try(svc.ChangeStatus(ctx, joPay, ticket.StatusOpen, s.meta("open jo payments", sam)))
	try(svc.SetPriority(ctx, joPay, ticket.PriorityHigh, s.meta("priority jo payments", sam)))
	try(svc.AddNote(ctx, joPay, "Asked the accounts department to look at invoice INV-1042.", s.meta("note jo payments", sam)))
	try(svc.Reply(ctx, joPay, "Thank you, we are looking into it with the accounts department.", s.meta("reply jo payments", sam)))

	// Alex still cannot get past a blank screen: on hold, with consent for IT support to
	// log in as Alex, and what IT support did under it.
	s.at(day)
	alexLogin, err := s.open("ticket alex login", alex, ticket.CategoryLoginTrouble, "Blank screen after login", "After I log in the page stays white. I tried two browsers.", "")
	if err != nil {
		return err
	}
	try(svc.Assign(ctx, alexLogin, priya, s.meta("assign alex login", priya)))
	grant, err := svc.GrantSupportAccess(ctx, support.Grant{AccountID: alexPortal, TicketID: alexLogin, Scopes: []account.Scope{account.ScopeLogInAs}, ExpiresAt: s.clock.Add(48 * time.Hour)}, s.meta("grant alex", alexPortal))
	try(err)
	if err == nil {
		try(svc.StartLogInAs(ctx, alexPortal, grant, s.meta("log in as alex", priya)))
		try(svc.RecordSupportAction(ctx, alexPortal, grant, "opened the dashboard: it loads for support", s.meta("action alex", priya)))
	}
	try(svc.ChangeStatus(ctx, alexLogin, ticket.StatusOnHold, s.meta("hold alex login", priya)))

	// Ruth's equipment test went well: solved.
	s.at(10 * day)
	ruthEq, err := s.open("ticket ruth equipment", ruth, ticket.CategoryEquipmentTest, "Camera test before clinic", "Could someone check my camera and microphone before Thursday?", "")
	if err != nil {
		return err
	}
	try(svc.Reply(ctx, ruthEq, "Camera and microphone both work well. Good luck on Thursday!", s.meta("reply ruth equipment", sam)))
	try(svc.ChangeStatus(ctx, ruthEq, ticket.StatusSolved, s.meta("solve ruth equipment", sam)))
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("support demo tickets: %w", err)
	}
	d.Log.Info("support demo loaded", "agents", "sam.taylor@support.psychiatry.example, priya.shah@support.psychiatry.example", "password", DemoPassword)
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
