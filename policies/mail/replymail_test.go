package mail_test

import (
	"strings"
	"testing"

	"ledgerdesk/commands"
	"ledgerdesk/commands/support"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/ticket"
	mailpolicy "ledgerdesk/policies/mail"
)

func as(actor string) commands.Metadata {
	return commands.Metadata{CommandID: commands.NewCommandID(), Actor: actor}
}

// An agent's public reply mails the requester a link to the ticket's page, once; the
// requester's own reply and an internal note mail nobody, and no word of any of them is in
// the email, the outbox or the log.
func TestAnAgentsPublicReplyMailsTheRequesterALinkToTheTicketAndNothingElseDoes(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	w.runOutbox(t)
	agent := w.env.Register(t, account.RealmSupport, account.RoleAgent, "agent@practice.example", "Sam Agent", pw)
	svc := w.env.Service
	id, err := svc.OpenTicket(ctx, support.NewTicket{Category: ticket.CategoryPayments, Subject: "Missing payment", Body: "Nothing is pending."}, as(w.account))
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Reply(ctx, id, "REQUESTER-WORDS: any news?", as(w.account)); err != nil {
		t.Fatal(err)
	}
	if err := svc.AddNote(ctx, id, "NOTE-WORDS: check the V1 export", as(agent)); err != nil {
		t.Fatal(err)
	}
	if err := svc.Reply(ctx, id, "AGENT-WORDS: the payment is released.", as(agent)); err != nil {
		t.Fatal(err)
	}
	w.waitQueued(t, 1)
	if out := w.sendDue(t); out != (mailpolicy.Outcome{Sent: 1}) {
		t.Fatalf("sending: %+v", out)
	}
	m := w.smtp.WaitFor(t, 1)[0]
	if len(m.To) != 1 || m.To[0] != email {
		t.Fatalf("the email went to %v, want the requester %s", m.To, email)
	}
	text := m.Text()
	if !strings.Contains(text, site+"/tickets/"+id) {
		t.Errorf("the email does not link to the ticket's page:\n%s", text)
	}
	var row string
	if err := w.env.Pool.QueryRow(ctx, `SELECT row_to_json(o)::text FROM mail_outbox o`).Scan(&row); err != nil {
		t.Fatal(err)
	}
	for _, words := range []string{"REQUESTER-WORDS", "NOTE-WORDS", "AGENT-WORDS", "Missing payment"} {
		if strings.Contains(text, words) || strings.Contains(row, words) || strings.Contains(w.logs.String(), words) {
			t.Errorf("%q is in the email, the outbox row or the log", words)
		}
	}
	if strings.Contains(row, email) {
		t.Errorf("the outbox row holds the address: %s", row)
	}

	// Each agent reply is an email; a note between them is none. The outbox handles
	// events in order, so once the third reply is queued the note has been handled too.
	for _, step := range []func() error{
		func() error { return svc.Reply(ctx, id, "AGENT-WORDS again", as(agent)) },
		func() error { return svc.AddNote(ctx, id, "NOTE-WORDS again", as(agent)) },
		func() error { return svc.Reply(ctx, id, "AGENT-WORDS a third time", as(agent)) },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	w.waitQueued(t, 3)
	if n := w.queued(t); n != 3 {
		t.Errorf("%d messages queued, want one per agent reply (3)", n)
	}
}

// The sender will not mail an account about a ticket that is not theirs, whatever the
// outbox row says.
func TestAReplyMessageForATicketThatIsNotTheAccountsIsNotSent(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	other := w.env.Register(t, account.RealmSupport, account.RoleRequester, "other@example.co.uk", "Other Person", pw)
	id, err := w.env.Service.OpenTicket(ctx, support.NewTicket{Category: ticket.CategoryOther, Subject: "Mine", Body: "Mine."}, as(other))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.env.Pool.Exec(ctx, `INSERT INTO mail_outbox (message_id, kind, account_id, event_id, cause_command, ticket_id)
		VALUES (gen_random_uuid(), 'ticket_reply', $1, gen_random_uuid(), gen_random_uuid(), $2)`, w.account, id); err != nil {
		t.Fatal(err)
	}
	if out := w.sendDue(t); out != (mailpolicy.Outcome{Failed: 1}) || len(w.smtp.Messages()) != 0 {
		t.Fatalf("%+v, %d received", out, len(w.smtp.Messages()))
	}
}
