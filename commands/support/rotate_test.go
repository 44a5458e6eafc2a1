package support_test

import (
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	support "ledgerdesk/commands/support"
	"ledgerdesk/commands/support/supporttest"
	"ledgerdesk/domain/account"
)

func TestRotatingTheServiceKeyKeepsTwoFactorWorking(t *testing.T) {
	t.Parallel()
	env := supporttest.New(t)
	p := cast(t, env)
	enrol, err := env.Service.BeginTwoFactor(ctx, p.patient, supporttest.Meta(p.patient))
	if err != nil {
		t.Fatal(err)
	}
	code, err := totp.GenerateCode(enrol.Secret, env.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := env.Service.ConfirmTwoFactor(ctx, p.patient, enrol.SecretRef, code, supporttest.Meta(p.patient)); err != nil {
		t.Fatal(err)
	}
	if err := supporttest.EnrolTwoFactor(ctx, env, p.requester); err != nil {
		t.Fatal(err)
	}

	next := make([]byte, support.SecretKeySize)
	if _, err := rand.Read(next); err != nil {
		t.Fatal(err)
	}
	r, err := support.RotateSecretKey(ctx, env.Pool, env.SecretKey, next)
	if err != nil || r.Resealed != 2 || r.Already != 0 {
		t.Fatalf("rotation: %+v, %v; want 2 resealed", r, err)
	}
	if r, err := support.RotateSecretKey(ctx, env.Pool, env.SecretKey, next); err != nil || r.Already != 2 || r.Resealed != 0 {
		t.Fatalf("re-run: %+v, %v; want 2 already under the new key", r, err)
	}

	rotated, err := support.New(support.Config{Deps: env.Deps, DB: env.Pool, Attachments: env.Files, SecretKey: next, Now: env.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	env.Clock.Advance(30 * time.Second)
	login := support.Login{Realm: account.RealmPortal, Email: "jo@example.co.uk", Password: strongPassword}
	if login.Code, err = totp.GenerateCode(enrol.Secret, env.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Service.Authenticate(ctx, login); !errors.Is(err, support.ErrConfig) {
		t.Fatalf("sign-in under the retired key: %v, want ErrConfig", err)
	}
	if id, err := rotated.Authenticate(ctx, login); err != nil || id != p.patient {
		t.Fatalf("sign-in under the new key: %s, %v", id, err)
	}

	// A secret under a key that is neither is left alone and reported.
	if _, err := support.RotateSecretKey(ctx, env.Pool, make([]byte, 32), make([]byte, 32)); !errors.Is(err, support.ErrSecretsUnreadable) {
		t.Fatalf("rotation with neither key: %v, want ErrSecretsUnreadable", err)
	}
	env.Clock.Advance(30 * time.Second)
	if login.Code, err = totp.GenerateCode(enrol.Secret, env.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	if id, err := rotated.Authenticate(ctx, login); err != nil || id != p.patient {
		t.Fatalf("a refused rotation changed the secret: %s, %v", id, err)
	}
}
