package projectiontest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/codec"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/appointment"
	"ledgerdesk/domain/cutover"
	"ledgerdesk/domain/decider"
	"ledgerdesk/domain/earnings"
	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/domain/payout"
	"ledgerdesk/domain/ticket"
	"ledgerdesk/domain/v1item"
)

// Emit receives one event of a generated history, in the order it would be appended.
type Emit func(stream, actor string, e decider.Event) error

// errEnough stops a history at the number of events asked for.
var errEnough = errors.New("enough events")

// History generates a practice's history of exactly n events, deterministically: forty
// clinicians seeing patients (booked, completed, form submitted, each earning accrued and
// released), an invoice of two billable items every third appointment (issued, then paid,
// or one in ten voided, one of its items' earnings accruing only after the void), a V1 item imported every other appointment (one in five ticked
// off), a support ticket every tenth (opened, answered, assigned, solved), each new
// patient's portal account, and a payout run every 400 appointments paying out what was
// released. It holds only what the next payout needs, so memory does not grow with n.
func History(n int, emit Emit) error {
	g := &historyGen{left: n, emit: emit, t: time.Date(2025, 1, 6, 8, 0, 0, 0, time.UTC), goLive: ledger.Date{Year: 2025, Month: 1, Day: 1}}
	err := g.run()
	if errors.Is(err, errEnough) {
		return nil
	}
	return err
}

const (
	historyClinicians   = 40
	historyPayoutEvery  = 400
	historyInvoiceEvery = 3
)

type historyGen struct {
	left   int
	emit   Emit
	t      time.Time
	goLive ledger.Date
	// released is what each clinician has been released since the last payout run.
	released [historyClinicians][]string
	amounts  [historyClinicians]money.Amount
	payouts  int
}

func (g *historyGen) put(stream, actor string, e decider.Event) error {
	if g.left <= 0 {
		return errEnough
	}
	g.left--
	return g.emit(stream, actor, e)
}

func (g *historyGen) tick() time.Time { g.t = g.t.Add(7 * time.Minute); return g.t }

func (g *historyGen) run() error {
	if err := g.put(cutover.StreamID, "accounts", cutover.GoLiveScheduled{Date: g.goLive, At: g.t}); err != nil {
		return err
	}
	for c := range historyClinicians {
		id := clinicianID(c)
		if err := g.put("account-"+id, "system", account.Registered{AccountID: id, Realm: account.RealmPortal, Role: account.RoleClinician,
			Email: id + "@example.test", Name: "Dr " + id, At: g.tick()}); err != nil {
			return err
		}
	}
	for i := 0; ; i++ {
		if err := g.appointment(i); err != nil {
			return err
		}
		if (i+1)%historyPayoutEvery == 0 {
			if err := g.payout(); err != nil {
				return err
			}
		}
	}
}

func clinicianID(c int) string { return fmt.Sprintf("clin%03d", c) }

func (g *historyGen) appointment(i int) error {
	c := i % historyClinicians
	cid := clinicianID(c)
	pid := fmt.Sprintf("pat%07d", i/3)
	if i%3 == 0 {
		if err := g.put("account-"+pid, pid, account.Registered{AccountID: pid, Realm: account.RealmPortal, Role: account.RolePatient,
			Email: pid + "@example.test", Name: "Patient " + pid, At: g.tick()}); err != nil {
			return err
		}
	}
	aid := fmt.Sprintf("appt%07d", i)
	fee := money.GBP("60.00")
	astream, estream := appointment.StreamID(aid), earnings.StreamID(cid)
	starts := g.tick()
	src := earnings.Consultation(aid)
	eid := "earn-" + aid
	steps := []struct {
		stream, actor string
		e             decider.Event
	}{
		{astream, pid, appointment.Booked{AppointmentID: aid, PatientID: pid, ClinicianID: cid, StartsAt: starts, Fee: fee, BookedAt: starts}},
		{astream, cid, appointment.Completed{AppointmentID: aid, PatientID: pid, ClinicianID: cid, WorkedAt: starts, Fee: fee}},
		{estream, "policy", earnings.Accrued{EarningID: eid, ClinicianID: cid, Source: src, Amount: fee, WorkDate: ledger.DateOf(starts),
			GoLive: g.goLive, Ledger: ledger.V2, AccruedAt: starts}},
		{astream, cid, appointment.FormSubmitted{AppointmentID: aid, PatientID: pid, ClinicianID: cid, SubmittedAt: g.tick()}},
		{estream, "policy", earnings.Released{EarningID: eid, ClinicianID: cid, Source: src, Amount: fee, Reason: earnings.ReleaseFormSubmitted, ReleasedAt: g.t}},
	}
	for _, s := range steps {
		if err := g.put(s.stream, s.actor, s.e); err != nil {
			return err
		}
	}
	g.release(c, eid, fee)
	if i%historyInvoiceEvery == 0 {
		if err := g.invoice(i, c, pid); err != nil {
			return err
		}
	}
	if i%2 == 0 {
		if err := g.v1Item(i, cid, pid); err != nil {
			return err
		}
	}
	if i%10 == 0 {
		return g.ticket(i, pid)
	}
	return nil
}

func (g *historyGen) release(c int, earning string, amount money.Amount) {
	g.released[c] = append(g.released[c], earning)
	if len(g.released[c]) == 1 {
		g.amounts[c] = amount
	} else {
		g.amounts[c] = g.amounts[c].Add(amount)
	}
}

func (g *historyGen) invoice(i, c int, pid string) error {
	cid := clinicianID(c)
	inv := fmt.Sprintf("inv%07d", i)
	istream, estream := invoice.StreamID(inv), earnings.StreamID(cid)
	if err := g.put(istream, "accounts", invoice.Raised{InvoiceID: inv, PatientID: pid, RaisedAt: g.tick()}); err != nil {
		return err
	}
	item := money.GBP("25.00")
	var items []invoice.PaidItem
	voided := (i/historyInvoiceEvery)%10 == 9
	var late decider.Event
	for k := range 2 {
		itemID := fmt.Sprintf("item%d", k+1)
		if err := g.put(istream, "accounts", invoice.BillableItemAdded{InvoiceID: inv, PatientID: pid, ItemID: itemID, ClinicianID: cid,
			Description: "Report writing for the referral", Amount: item, AddedAt: g.tick()}); err != nil {
			return err
		}
		accrued := earnings.Accrued{EarningID: "earn-" + inv + "-" + itemID, ClinicianID: cid, Source: earnings.BillableItem(inv, itemID),
			Amount: item, WorkDate: ledger.DateOf(g.t), GoLive: g.goLive, Ledger: ledger.V2, AccruedAt: g.t}
		if voided && k == 1 {
			// The second item's earning of a voided invoice accrues after the void, so the
			// history has an accrual written off at once as well as one written off by it.
			late = accrued
			continue
		}
		if err := g.put(estream, "policy", accrued); err != nil {
			return err
		}
		items = append(items, invoice.PaidItem{ItemID: itemID, ClinicianID: cid, Amount: item})
	}
	total := money.GBP("50.00")
	if err := g.put(istream, "accounts", invoice.Issued{InvoiceID: inv, PatientID: pid, Total: total, IssuedAt: g.tick()}); err != nil {
		return err
	}
	if voided {
		if err := g.put(istream, "accounts", invoice.Voided{InvoiceID: inv, PatientID: pid, Reason: "raised in error", VoidedAt: g.tick()}); err != nil {
			return err
		}
		return g.put(estream, "policy", late)
	}
	if err := g.put(istream, "provider", invoice.PaymentRecorded{InvoiceID: inv, PatientID: pid, PaymentID: "pay-" + inv, Amount: total, PaidTotal: total,
		Outstanding: money.Zero, PaidAt: g.tick()}); err != nil {
		return err
	}
	if err := g.put(istream, "provider", invoice.PaidInFull{InvoiceID: inv, PatientID: pid, Total: total, Items: items, PaidAt: g.t}); err != nil {
		return err
	}
	for _, it := range items {
		eid := "earn-" + inv + "-" + it.ItemID
		if err := g.put(estream, "policy", earnings.Released{EarningID: eid, ClinicianID: cid, Source: earnings.BillableItem(inv, it.ItemID),
			Amount: it.Amount, Reason: earnings.ReleaseInvoicePaid, ReleasedAt: g.t}); err != nil {
			return err
		}
		g.release(c, eid, it.Amount)
	}
	return nil
}

func (g *historyGen) v1Item(i int, cid, pid string) error {
	ref := fmt.Sprintf("V1-%07d", i)
	stream := v1item.StreamCategory + "-" + ref
	work := ledger.DateOf(g.t.AddDate(0, -3, 0))
	if err := g.put(stream, "accounts", v1item.V1ItemImported{Reference: ref, ClinicianID: cid, ClinicianName: "Dr " + cid, PatientReference: pid,
		WorkDate: work, Description: "Consultation (legacy)", Amount: money.GBP("45.00"), Status: v1item.StatusPending, GoLive: g.goLive,
		Ledger: ledger.V1, ImportedBy: "accounts", At: g.tick(), SourceFile: "v1-export.csv", SourceLine: i/2 + 2}); err != nil {
		return err
	}
	if i%10 == 0 {
		return g.put(stream, "accounts", v1item.TickedOff{Reference: ref, By: "accounts", At: g.tick()})
	}
	return nil
}

func (g *historyGen) ticket(i int, pid string) error {
	tid := fmt.Sprintf("tkt%07d", i)
	stream := ticket.StreamCategory + "-" + tid
	agent := "agent01"
	for _, e := range []decider.Event{
		ticket.Opened{TicketID: tid, RequesterAccountID: pid, Category: ticket.CategoryPayments, Subject: "Where is my refund?", Body: "I paid twice.", At: g.tick()},
		ticket.Assigned{TicketID: tid, AgentID: agent, By: agent, At: g.tick()},
		ticket.PublicReplyPosted{TicketID: tid, RequesterAccountID: pid, AuthorID: agent, ByAgent: true, Body: "We are looking into it.", At: g.tick()},
		ticket.StatusChanged{TicketID: tid, From: ticket.StatusNew, To: ticket.StatusSolved, By: agent, At: g.tick()},
	} {
		if err := g.put(stream, agent, e); err != nil {
			return err
		}
	}
	return nil
}

func (g *historyGen) payout() error {
	g.payouts++
	po := fmt.Sprintf("po%05d", g.payouts)
	stream := payout.StreamID(po)
	if err := g.put(stream, "accounts", payout.Started{PayoutID: po, Cutoff: ledger.DateOf(g.t), RequestedBy: "accounts", StartedAt: g.tick()}); err != nil {
		return err
	}
	total := money.Zero
	var lines []payout.SettledLine
	for c := range historyClinicians {
		if len(g.released[c]) == 0 {
			continue
		}
		cid := clinicianID(c)
		ids, amount := g.released[c], g.amounts[c]
		if err := g.put(stream, "accounts", payout.LineAdded{PayoutID: po, ClinicianID: cid, EarningIDs: ids, Amount: amount,
			PayeeName: "Dr " + cid, SortCode: "12-34-56", AccountNumber: "12345678", AddedAt: g.tick()}); err != nil {
			return err
		}
		if err := g.put(earnings.StreamID(cid), "accounts", earnings.IncludedInPayout{PayoutID: po, ClinicianID: cid, EarningIDs: ids, Total: amount, IncludedAt: g.t}); err != nil {
			return err
		}
		total = total.Add(amount)
		lines = append(lines, payout.SettledLine{ClinicianID: cid, EarningIDs: ids, Amount: amount})
	}
	for _, e := range []decider.Event{
		payout.Finalised{PayoutID: po, Total: total, LineCount: len(lines), FinalisedAt: g.tick()},
		payout.Exported{PayoutID: po, MessageID: "MSG-" + po, SHA256: "0123456789abcdef", ExportedAt: g.tick()},
		payout.Submitted{PayoutID: po, SubmittedAt: g.tick()},
		payout.Settled{PayoutID: po, Lines: lines, Total: total, SettledAt: g.tick()},
	} {
		if err := g.put(stream, "bank", e); err != nil {
			return err
		}
	}
	for _, l := range lines {
		if err := g.put(earnings.StreamID(l.ClinicianID), "bank", earnings.PaidOut{PayoutID: po, ClinicianID: l.ClinicianID, EarningIDs: l.EarningIDs, Total: l.Amount, PaidAt: g.t}); err != nil {
			return err
		}
	}
	for c := range g.released {
		g.released[c] = nil
	}
	return nil
}

// historyChunk is how many generated events WriteHistory appends per COPY.
const historyChunk = 10_000

// WriteHistory generates History(n) and appends it to the events table of db (migrated),
// encoding each event with c as the command layer would (personal data sealed), with the
// command layer's metadata. Streams get consecutive versions from 1: the table must not
// hold those streams yet.
func WriteHistory(ctx context.Context, db *pgxpool.Pool, c *codec.Codec, n int) error {
	versions := map[string]int64{}
	rows := make([][]any, 0, historyChunk)
	flush := func() error {
		if len(rows) == 0 {
			return nil
		}
		_, err := db.CopyFrom(ctx, pgx.Identifier{"events"}, []string{"event_id", "stream_id", "stream_version", "type", "data", "metadata"}, pgx.CopyFromRows(rows))
		rows = rows[:0]
		return err
	}
	err := History(n, func(stream, actor string, e decider.Event) error {
		id := uuid.Must(uuid.NewV7())
		typ, data, err := c.EncodeWithID(ctx, id, e)
		if err != nil {
			return fmt.Errorf("encoding %T for %s: %w", e, stream, err)
		}
		meta, err := json.Marshal(codec.EventMetadata{CommandID: id, CorrelationID: id, CausationID: id, Actor: actor, Command: "history", Schema: codec.MetadataSchema})
		if err != nil {
			return err
		}
		versions[stream]++
		rows = append(rows, []any{id, stream, versions[stream], typ, string(data), string(meta)})
		if len(rows) == historyChunk {
			return flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
}
