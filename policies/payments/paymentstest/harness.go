// Package paymentstest runs the payments flow against a real PostgreSQL for tests: the
// event store, the command layer with a codec of every payments event, the policies
// (synchronously, in global order) and the read models (rebuilt from the history on demand).
package paymentstest

import (
	"context"
	"testing"
	"time"

	"ledgerdesk/projector"

	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/adapters/postgres"
	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/app"
	"ledgerdesk/codec"
	"ledgerdesk/commands"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/appointment"
	"ledgerdesk/domain/contact"
	"ledgerdesk/domain/cutover"
	"ledgerdesk/domain/decider"
	"ledgerdesk/domain/earnings"
	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/payout"
	"ledgerdesk/eventstore"
	"ledgerdesk/policies/payments"
	"ledgerdesk/projections"
)

// Harness is one test's payments system on its own database.
type Harness struct {
	T        testing.TB
	Ctx      context.Context
	Pool     *pgxpool.Pool
	Store    *postgres.Store
	Codec    *codec.Codec
	Deps     commands.Deps
	App      *app.App
	Policies []payments.Policy
	// settled is how far the policies have caught up.
	settled eventstore.Position
}

// New gives the test a fresh migrated database and the payments system on it.
func New(t testing.TB) *Harness {
	t.Helper()
	pool := pgtest.NewPool(t)
	return On(t, pool)
}

// On builds the payments system on an existing pool.
func On(t testing.TB, pool *pgxpool.Pool) *Harness {
	t.Helper()
	ctx := context.Background()
	store := postgres.New(pool, postgres.Config{PollInterval: 10 * time.Millisecond})
	keys, err := postgres.NewKeyStore(pool, postgres.KeyStoreConfig{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := codec.New(keys, EventTypes()...)
	if err != nil {
		t.Fatal(err)
	}
	deps := commands.Deps{Store: store, Codec: c}
	a, err := app.New(app.Config{Commands: deps, DB: pool})
	if err != nil {
		t.Fatal(err)
	}
	return &Harness{T: t, Ctx: ctx, Pool: pool, Store: store, Codec: c, Deps: deps, App: a, Policies: payments.All(a)}
}

// EventTypes is every event the payments flow reads or writes.
func EventTypes() []decider.Event {
	var all []decider.Event
	for _, e := range appointment.EventTypes() {
		all = append(all, e)
	}
	for _, e := range invoice.EventTypes() {
		all = append(all, e)
	}
	for _, e := range earnings.EventTypes() {
		all = append(all, e)
	}
	for _, e := range payout.EventTypes() {
		all = append(all, e)
	}
	for _, e := range account.EventTypes() {
		all = append(all, e)
	}
	for _, e := range cutover.EventTypes() {
		all = append(all, e)
	}
	return append(all, commands.EventTypes()...)
}

// Meta is fresh metadata for a test command.
func Meta() commands.Metadata {
	return commands.Metadata{CommandID: commands.NewCommandID(), Actor: "test"}
}

// GoLive records the go-live date and that the cutover has happened.
func (h *Harness) GoLive(d ledger.Date) {
	h.T.Helper()
	at := d.StartInLondon().Add(time.Hour)
	for _, c := range []cutover.Command{cutover.ScheduleGoLive{Date: d, At: at}, cutover.RecordCutover{At: at}} {
		if _, err := commands.Execute(h.Ctx, h.Deps, cutover.Decider, cutover.StreamID, c, Meta()); err != nil {
			h.T.Fatal(err)
		}
	}
}

// Appointment runs an appointment command.
func (h *Harness) Appointment(id string, c appointment.Command) error {
	_, err := commands.Execute(h.Ctx, h.Deps, appointment.Decider, appointment.StreamID(id), c, Meta())
	return err
}

// Invoice runs an invoice command.
func (h *Harness) Invoice(id string, c invoice.Command) error {
	_, err := commands.Execute(h.Ctx, h.Deps, invoice.Decider, invoice.StreamID(id), c, Meta())
	return err
}

// Must fails the test on err.
func (h *Harness) Must(err error) {
	h.T.Helper()
	if err != nil {
		h.T.Fatal(err)
	}
}

// Clinician registers a clinician's portal account and, if sortCode is given, their payee
// bank details.
func (h *Harness) Clinician(id, name, sortCode, accountNumber string) {
	h.T.Helper()
	at := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	email, err := contact.ParseEmail(id + "@clinicians.test")
	h.Must(err)
	meta := Meta()
	h.Must(commands.Claim(h.Ctx, h.Deps, account.EmailReservationStream(account.RealmPortal, email), id, meta))
	_, err = commands.Execute(h.Ctx, h.Deps, account.Decider, account.StreamID(id), account.Command(account.Register{
		AccountID: id, Realm: account.RealmPortal, Role: account.RoleClinician, Email: email, Name: name, At: at,
	}), meta)
	h.Must(err)
	if sortCode == "" {
		return
	}
	_, err = commands.Execute(h.Ctx, h.Deps, account.Decider, account.StreamID(id), account.Command(account.SetPayeeBankDetails{
		AccountID: id, AccountName: name, SortCode: sortCode, AccountNumber: accountNumber, By: "admin", At: at,
	}), Meta())
	h.Must(err)
}

// WaitVisible waits until every committed event is on the store's safe tail: transactions
// of other tests on the same server can hold the tail back for a moment, and a rebuild
// reads only the tail.
func (h *Harness) WaitVisible() {
	h.T.Helper()
	pos := eventstore.Start
	deadline := time.Now().Add(time.Minute)
	for {
		batch, err := h.Store.ReadAll(h.Ctx, pos, 5000)
		h.Must(err)
		if len(batch) > 0 {
			pos = batch[len(batch)-1].Position
			continue
		}
		left, err := h.Store.CountAfter(h.Ctx, pos)
		h.Must(err)
		if left == 0 {
			return
		}
		if time.Now().After(deadline) {
			h.T.Fatalf("%d committed events stayed off the safe tail for a minute", left)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Settle runs the policies over every event since the last call, and over what they
// append in turn, until nothing new happens.
func (h *Harness) Settle() {
	h.T.Helper()
	for {
		pos, err := payments.CatchUp(h.Ctx, h.Store, h.settled, h.Policies...)
		if err != nil {
			h.T.Fatalf("policies: %v", err)
		}
		if pos == h.settled {
			return
		}
		h.settled = pos
	}
}

// Project rebuilds each read model from the whole history, as the auditors' replay does.
func (h *Harness) Project(ps ...projections.Projection) {
	h.T.Helper()
	h.WaitVisible()
	for _, p := range ps {
		if err := projector.Setup(h.Ctx, h.Pool, p); err != nil {
			h.T.Fatalf("setting up %s: %v", p.Name(), err)
		}
		if err := projector.Rebuild(h.Ctx, h.Pool, h.Store, p, nil); err != nil {
			h.T.Fatalf("rebuilding %s: %v", p.Name(), err)
		}
	}
}

// Earnings folds a clinician's earnings stream.
func (h *Harness) Earnings(clinicianID string) earnings.State {
	h.T.Helper()
	s, _, err := commands.Load(h.Ctx, h.Deps, earnings.Decider, earnings.StreamID(clinicianID))
	h.Must(err)
	return s
}

// Events reads every event in global order, decoded.
func (h *Harness) Events() []Recorded {
	h.T.Helper()
	var out []Recorded
	from := eventstore.Start
	for {
		batch, err := h.Store.ReadAll(h.Ctx, from, 1000)
		h.Must(err)
		if len(batch) == 0 {
			return out
		}
		for _, r := range batch {
			ev, err := h.Codec.Decode(h.Ctx, r.Type, r.Data)
			h.Must(err)
			out = append(out, Recorded{RecordedEvent: r, Event: ev})
			from = r.Position
		}
	}
}

// Recorded is a stored event with its decoded value.
type Recorded struct {
	eventstore.RecordedEvent
	Event decider.Event
}
