// Package supporttest builds a support service on a fresh real database for tests: the
// event store, the codec with every support event, the attachment store, and a clock the
// test moves. It also has small, real files to attach.
package supporttest

import (
	"bytes"
	"context"
	"crypto/rand"
	"image"
	"image/color"
	"image/png"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pquerna/otp/totp"

	"ledgerdesk/adapters/attachmentstore"
	"ledgerdesk/adapters/postgres"
	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/codec"
	"ledgerdesk/commands"
	support "ledgerdesk/commands/support"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/decider"
	"ledgerdesk/domain/ticket"
	"ledgerdesk/eventstore"
)

// Clock is a settable clock, safe for concurrent use.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock starts at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Env is a support service on its own database.
type Env struct {
	Pool    *pgxpool.Pool
	Store   eventstore.Store
	Codec   *codec.Codec
	Deps    commands.Deps
	Files   *attachmentstore.Store
	Service *support.Service
	Clock   *Clock
	// SecretKey is the service's Config.SecretKey.
	SecretKey []byte
}

// Start is where every Env's clock starts: a Monday morning in London.
var Start = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)

// EventTypes is every event the support centre writes.
func EventTypes() []decider.Event {
	var all []decider.Event
	for _, e := range account.EventTypes() {
		all = append(all, e)
	}
	for _, e := range ticket.EventTypes() {
		all = append(all, e)
	}
	return append(all, commands.EventTypes()...)
}

// New builds an Env on a fresh migrated database.
func New(t testing.TB) *Env {
	t.Helper()
	return NewWithKeys(t, pgtest.NewPool(t), nil, key(t), key(t))
}

// NewWithKeys builds an Env on pool (migrated) with the given keys: the personal data
// master key (nil: none), the attachment store's master key and the service's secret key.
// Several Envs on one pool with different keys are a deployment before and after a key
// rotation.
func NewWithKeys(t testing.TB, pool *pgxpool.Pool, personalMaster, attachmentsKey, secret []byte) *Env {
	t.Helper()
	store := postgres.New(pool, postgres.Config{PollInterval: 10 * time.Millisecond})
	keys, err := postgres.NewKeyStore(pool, postgres.KeyStoreConfig{MasterKey: personalMaster})
	if err != nil {
		t.Fatal(err)
	}
	c, err := codec.New(keys, EventTypes()...)
	if err != nil {
		t.Fatal(err)
	}
	files, err := attachmentstore.New(pool, attachmentstore.Config{MasterKey: attachmentsKey})
	if err != nil {
		t.Fatal(err)
	}
	clock := NewClock(Start)
	deps := commands.Deps{Store: store, Codec: c}
	svc, err := support.New(support.Config{Deps: deps, DB: pool, Attachments: files, SecretKey: secret, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	return &Env{Pool: pool, Store: store, Codec: c, Deps: deps, Files: files, Service: svc, Clock: clock, SecretKey: secret}
}

func key(t testing.TB) []byte {
	t.Helper()
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		t.Fatal(err)
	}
	return k
}

// Meta is fresh command metadata for actor.
func Meta(actor string) commands.Metadata {
	return commands.Metadata{CommandID: commands.NewCommandID(), Actor: actor}
}

// Register registers an account and fails the test if it cannot.
func (e *Env) Register(t testing.TB, realm account.Realm, role account.Role, email, name, password string) string {
	t.Helper()
	id, err := e.Service.Register(context.Background(), support.Registration{Realm: realm, Role: role, Email: email, Name: name, Password: password}, Meta(""))
	if err != nil {
		t.Fatalf("registering %s: %v", email, err)
	}
	return id
}

// TinyPNG is a real 2×2 PNG, a stand-in for a phone photo of a document.
func TinyPNG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(1, 1, color.RGBA{B: 200, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TinyPDF is a minimal well-formed one-page PDF, a stand-in for a scanned bill.
var TinyPDF = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
	"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

// EnrolTwoFactor turns two-factor on for an account, as its holder would with their phone.
func EnrolTwoFactor(ctx context.Context, e *Env, accountID string) error {
	enrol, err := e.Service.BeginTwoFactor(ctx, accountID, Meta(accountID))
	if err != nil {
		return err
	}
	code, err := totp.GenerateCode(enrol.Secret, e.Clock.Now())
	if err != nil {
		return err
	}
	return e.Service.ConfirmTwoFactor(ctx, accountID, enrol.SecretRef, code, Meta(accountID))
}
