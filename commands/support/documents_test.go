package support_test

import (
	"bytes"
	"testing"

	support "ledgerdesk/commands/support"
	"ledgerdesk/commands/support/attachment"
	"ledgerdesk/commands/support/supporttest"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/ticket"
)

func blobs(t *testing.T, env *supporttest.Env) int {
	t.Helper()
	var n int
	if err := env.Pool.QueryRow(ctx, `SELECT count(*) FROM attachment_blobs`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestABadAttachmentIsRefusedAndNothingIsKept(t *testing.T) {
	t.Parallel()
	env := supporttest.New(t)
	p := cast(t, env)
	id := openTicket(t, env, p.requester, ticket.CategoryTwoFactorReset)
	img := supporttest.TinyPNG(t)
	expired := ledger.Date{Year: 2024, Month: 12, Day: 31}
	bad := ledger.Date{Year: 2025, Month: 2, Day: 30}
	for name, c := range map[string]struct {
		a     support.Attachment
		actor string
		want  []error
	}{
		"html":                 {support.Attachment{TicketID: id, Kind: ticket.KindPassport, Content: []byte("<html><body>passport</body></html>")}, p.requester, []error{ticket.ErrUnsupportedContentType, attachment.ErrUnsupportedType}},
		"svg":                  {support.Attachment{TicketID: id, Kind: ticket.KindPassport, Content: []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>`)}, p.requester, []error{ticket.ErrUnsupportedContentType}},
		"oversized":            {support.Attachment{TicketID: id, Kind: ticket.KindPassport, Content: append(bytes.Clone(img), make([]byte, attachment.MaxSize)...)}, p.requester, []error{ticket.ErrAttachmentTooLarge, attachment.ErrTooLarge}},
		"empty":                {support.Attachment{TicketID: id, Kind: ticket.KindPassport}, p.requester, []error{ticket.ErrUnsupportedContentType}},
		"someone else's":       {support.Attachment{TicketID: id, Kind: ticket.KindPassport, Content: img}, p.stranger, []error{ticket.ErrNotYourTicket}},
		"unknown kind":         {support.Attachment{TicketID: id, Kind: "library_card", Content: img}, p.requester, []error{ticket.ErrInvalidInput}},
		"expired student card": {support.Attachment{TicketID: id, Kind: ticket.KindStudentCard, Content: img, ExpiresOn: &expired}, p.requester, []error{ticket.ErrDocumentExpired}},
		"impossible expiry":    {support.Attachment{TicketID: id, Kind: ticket.KindPassport, Content: img, ExpiresOn: &bad}, p.requester, []error{ticket.ErrInvalidInput}},
		"missing ticket":       {support.Attachment{TicketID: "no-such-ticket", Kind: ticket.KindPassport, Content: img}, p.requester, []error{ticket.ErrTicketNotFound}},
		"portal account":       {support.Attachment{TicketID: id, Kind: ticket.KindPassport, Content: img}, p.patient, []error{support.ErrNotSupportAccount}},
	} {
		t.Run(name, func(t *testing.T) {
			before := events(t, env)
			_, err := env.Service.Attach(ctx, c.a, supporttest.Meta(c.actor))
			refused(t, env, before, err, c.want...)
			if n := blobs(t, env); n != 0 {
				t.Fatalf("%d files kept after a refusal", n)
			}
		})
	}
}

func TestAnAttachedDocumentIsSniffedEncryptedAndRecordedOnce(t *testing.T) {
	t.Parallel()
	env := supporttest.New(t)
	p := cast(t, env)
	id := openTicket(t, env, p.requester, ticket.CategoryTwoFactorReset)
	meta := supporttest.Meta(p.requester)
	att, err := env.Service.Attach(ctx, support.Attachment{TicketID: id, Kind: ticket.KindUtilityBill, Content: supporttest.TinyPDF}, meta)
	if err != nil {
		t.Fatal(err)
	}
	before := events(t, env)
	if again, err := env.Service.Attach(ctx, support.Attachment{TicketID: id, Kind: ticket.KindUtilityBill, Content: supporttest.TinyPDF}, meta); err != nil || again != att {
		t.Fatalf("retried upload: %s, %v", again, err)
	}
	if events(t, env) != before || blobs(t, env) != 1 {
		t.Fatal("a retried upload was kept twice")
	}
	st, _ := env.Service.Ticket(ctx, id)
	if len(st.Documents) != 1 || st.Documents[0].ContentType != "application/pdf" || st.Documents[0].Size != int64(len(supporttest.TinyPDF)) {
		t.Fatalf("documents %+v", st.Documents)
	}
	var sealed []byte
	if err := env.Pool.QueryRow(ctx, `SELECT sealed FROM attachment_blobs WHERE attachment_id = $1`, att).Scan(&sealed); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("%PDF")) {
		t.Fatal("the document is readable at rest")
	}
}

func TestOnlyTheAssignedAgentOpensADocumentAndEveryViewIsRecorded(t *testing.T) {
	t.Parallel()
	env := supporttest.New(t)
	p := cast(t, env)
	id := openTicket(t, env, p.requester, ticket.CategoryTwoFactorReset)
	img := supporttest.TinyPNG(t)
	att, err := env.Service.Attach(ctx, support.Attachment{TicketID: id, Kind: ticket.KindPassport, Content: img}, supporttest.Meta(p.requester))
	if err != nil {
		t.Fatal(err)
	}
	if err := env.Service.Assign(ctx, id, p.agent, supporttest.Meta(p.agent2)); err != nil {
		t.Fatal(err)
	}
	before := events(t, env)
	_, err = env.Service.ViewDocument(ctx, id, att, supporttest.Meta(p.requester))
	refused(t, env, before, err, ticket.ErrAgentsOnly)
	_, err = env.Service.ViewDocument(ctx, id, att, supporttest.Meta(p.agent2))
	refused(t, env, before, err, ticket.ErrNotAssignedAgent)
	_, err = env.Service.ViewDocument(ctx, id, "no-such-attachment", supporttest.Meta(p.agent))
	refused(t, env, before, err, ticket.ErrAttachmentNotFound)
	if reads, _ := env.Files.Reads(ctx, att); len(reads) != 0 {
		t.Fatalf("refused views read the file: %+v", reads)
	}
	for range 2 {
		doc, err := env.Service.ViewDocument(ctx, id, att, supporttest.Meta(p.agent))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(doc.Content, img) || doc.ContentType != "image/png" || doc.Kind != ticket.KindPassport {
			t.Fatalf("opened %s %s, %d bytes", doc.Kind, doc.ContentType, len(doc.Content))
		}
	}
	if n := events(t, env) - before; n != 2 {
		t.Fatalf("%d view events for two views", n)
	}
	if reads, _ := env.Files.Reads(ctx, att); len(reads) != 2 || reads[0].Reader != p.agent {
		t.Fatalf("read log %+v", reads)
	}
}

func TestTheTwoFactorResetTurnsItOffOnceAndForgetsTheSecret(t *testing.T) {
	t.Parallel()
	env := supporttest.New(t)
	p := cast(t, env)
	enrolTwoFactor(t, env, p.patient)
	meta := supporttest.Meta("policy:test")
	done, err := env.Service.ResetTwoFactor(ctx, support.TwoFactorReset{PortalAccountID: p.patient, TicketID: "t-1", AgentID: p.agent}, meta)
	if err != nil || !done {
		t.Fatalf("reset: %v, %v", done, err)
	}
	a, _ := env.Service.Account(ctx, p.patient)
	if a.TwoFactorEnabled() {
		t.Fatal("two-factor still on")
	}
	var n int
	if err := env.Pool.QueryRow(ctx, `SELECT count(*) FROM support_totp_secrets WHERE account_id = $1`, p.patient).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d secrets kept after the reset (%v)", n, err)
	}
	for _, m := range []string{"same command", "another command"} {
		mm := meta
		if m == "another command" {
			mm = supporttest.Meta("policy:test")
		}
		if done, err := env.Service.ResetTwoFactor(ctx, support.TwoFactorReset{PortalAccountID: p.patient, TicketID: "t-1", AgentID: p.agent}, mm); err != nil || done {
			t.Fatalf("%s again: %v, %v", m, done, err)
		}
	}
}

func enrolTwoFactor(t *testing.T, env *supporttest.Env, accountID string) {
	t.Helper()
	if err := supporttest.EnrolTwoFactor(ctx, env, accountID); err != nil {
		t.Fatal(err)
	}
}
