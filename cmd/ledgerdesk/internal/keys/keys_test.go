package keys_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"ledgerdesk/adapters/postgres"
	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/cmd/ledgerdesk/internal/keys"
	"ledgerdesk/codec"
	support "ledgerdesk/commands/support"
	"ledgerdesk/commands/support/attachment"
	"ledgerdesk/commands/support/supporttest"
	"ledgerdesk/domain/account"
)

var ctx = context.Background()

const password = "correct horse battery staple 42"

func newKey(t *testing.T) []byte {
	t.Helper()
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		t.Fatal(err)
	}
	return k
}

// deployment is the support centre as the binary builds it on master (nil: none, with
// the support keys derived from supportMaster).
func deployment(t *testing.T, env *supporttest.Env, personal, supportMaster []byte) *supporttest.Env {
	t.Helper()
	files, service, err := keys.SupportKeys(supportMaster)
	if err != nil {
		t.Fatal(err)
	}
	d := supporttest.NewWithKeys(t, env.Pool, personal, files, service)
	d.Clock = env.Clock
	svc, err := support.New(support.Config{Deps: d.Deps, DB: d.Pool, Attachments: d.Files, SecretKey: service, Now: env.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	d.Service = svc
	return d
}

// world is a development database as the binary left it before the key file: personal
// keys unwrapped, the support centre's keys derived from support_development_key.
type world struct {
	env      *supporttest.Env
	patient  string
	secret   string
	document []byte
}

func oldDevelopmentDatabase(t *testing.T) (*world, []byte) {
	t.Helper()
	pool := pgtest.NewPool(t)
	tableKey := newKey(t)
	if _, err := pool.Exec(ctx, `INSERT INTO support_development_key (key) VALUES ($1)`, tableKey); err != nil {
		t.Fatal(err)
	}
	env := deployment(t, &supporttest.Env{Pool: pool, Clock: supporttest.NewClock(supporttest.Start)}, nil, tableKey)
	w := &world{env: env, document: supporttest.TinyPNG(t)}
	w.patient = env.Register(t, account.RealmPortal, account.RolePatient, "jo@example.co.uk", "Jo Bloggs", password)
	enrol, err := env.Service.BeginTwoFactor(ctx, w.patient, supporttest.Meta(w.patient))
	if err != nil {
		t.Fatal(err)
	}
	code, _ := totp.GenerateCode(enrol.Secret, env.Clock.Now())
	if err := env.Service.ConfirmTwoFactor(ctx, w.patient, enrol.SecretRef, code, supporttest.Meta(w.patient)); err != nil {
		t.Fatal(err)
	}
	w.secret = enrol.Secret
	if _, err := env.Files.Put(ctx, attachment.Upload{TicketID: "t1", AttachmentID: "a1", Class: attachment.ClassIdentity, Content: w.document}); err != nil {
		t.Fatal(err)
	}
	return w, tableKey
}

// works checks that a deployment on master reads the world: the person's key, their
// document, their two-factor sign-in.
func (w *world) works(t *testing.T, master []byte) error {
	t.Helper()
	d := deployment(t, w.env, master, master)
	ks, err := postgres.NewKeyStore(d.Pool, postgres.KeyStoreConfig{MasterKey: master, CacheTTL: -1})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := ks.Lookup(ctx, w.patient); err != nil {
		return err
	}
	doc, err := d.Files.Open(ctx, "t1", "a1", "agent-1")
	if err != nil {
		return err
	}
	if !bytes.Equal(doc.Content, w.document) {
		t.Fatal("the document changed")
	}
	d.Clock.Advance(30 * time.Second)
	login := support.Login{Realm: account.RealmPortal, Email: "jo@example.co.uk", Password: password}
	login.Code, _ = totp.GenerateCode(w.secret, d.Clock.Now())
	_, err = d.Service.Authenticate(ctx, login)
	return err
}

func tableRows(t *testing.T, w *world) int {
	t.Helper()
	var n int
	if err := w.env.Pool.QueryRow(ctx, `SELECT count(*) FROM support_development_key`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAdoptingTheKeyFileMovesTheSupportCentreOffTheTableKey(t *testing.T) {
	t.Parallel()
	w, _ := oldDevelopmentDatabase(t)
	devKey := newKey(t)
	if err := w.works(t, devKey); err == nil {
		t.Fatal("the key file's key reads the old database before adoption")
	}
	adopted, r, err := keys.AdoptSupportKey(ctx, w.env.Pool, devKey, nil)
	if err != nil || !adopted || r.Attachments.Rewrapped != 1 || r.Secrets.Resealed != 1 {
		t.Fatalf("adoption: %v, %+v, %v", adopted, r, err)
	}
	if n := tableRows(t, w); n != 0 {
		t.Fatalf("the table still holds %d keys", n)
	}
	if err := w.works(t, devKey); err != nil {
		t.Fatalf("after adoption: %v", err)
	}
	if adopted, _, err := keys.AdoptSupportKey(ctx, w.env.Pool, devKey, nil); err != nil || adopted {
		t.Fatalf("adopting again: %v, %v; want nothing to do", adopted, err)
	}
}

func TestRotateMovesEveryKeyFromNoneToK1ToK2(t *testing.T) {
	t.Parallel()
	w, _ := oldDevelopmentDatabase(t)
	k1, k2 := newKey(t), newKey(t)
	var tables []string
	r, err := keys.Rotate(ctx, w.env.Pool, nil, k1, func(table string, done, total int64) {
		if len(tables) == 0 || tables[len(tables)-1] != table {
			tables = append(tables, table)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if !r.FromTable || r.Personal.Wrapped == 0 || r.Attachments.Rewrapped != 1 || r.Secrets.Resealed != 1 {
		t.Fatalf("rotation from none: %+v", r)
	}
	if len(tables) != 2 || tables[0] != "personal_data_keys" || tables[1] != "attachment_keys" {
		t.Fatalf("progress told of %v", tables)
	}
	if n := tableRows(t, w); n != 0 {
		t.Fatalf("the table still holds %d keys", n)
	}
	if err := w.works(t, k1); err != nil {
		t.Fatalf("under K1: %v", err)
	}
	if err := w.works(t, nil); err == nil {
		t.Fatal("the database still reads without a key")
	}

	if _, err := keys.Rotate(ctx, w.env.Pool, k1, k2, nil); err != nil {
		t.Fatal(err)
	}
	if err := w.works(t, k2); err != nil {
		t.Fatalf("under K2: %v", err)
	}
	if err := w.works(t, k1); err == nil {
		t.Fatal("the database still reads under K1")
	}
	// Rotating from a key the database is not under changes nothing and says so.
	_, err = keys.Rotate(ctx, w.env.Pool, k1, newKey(t), nil)
	if !errors.Is(err, postgres.ErrKeysUnreadable) || !errors.Is(err, support.ErrSecretsUnreadable) {
		t.Fatalf("rotating from the wrong key: %v", err)
	}
	if err := w.works(t, k2); err != nil {
		t.Fatalf("a refused rotation lost something: %v", err)
	}
	if !errors.Is(postgres.VerifyMasterKey(ctx, w.env.Pool, k1), codec.ErrMasterKey) {
		t.Fatal("K1 verifies after rotating to K2")
	}
}
