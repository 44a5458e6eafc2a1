package httpapi

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/app/authz"
)

// Secrets handed out: "ldk_" for API tokens, "lds_" for session ids, then 32 random bytes.
const (
	tokenPrefix   = "ldk_"
	sessionPrefix = "lds_"
	secretBytes   = 32
)

// NewToken is a freshly created API token. Secret is shown once and never stored.
type NewToken struct {
	ID      uuid.UUID
	Secret  string
	Actor   authz.Actor
	Expires *time.Time
}

// CreateToken stores a new API token for actor and returns it; only its hash is kept.
// ttl 0 means it does not expire.
func CreateToken(ctx context.Context, db *pgxpool.Pool, actor authz.Actor, label string, ttl time.Duration) (NewToken, error) {
	if err := actor.Valid(); err != nil {
		return NewToken{}, err
	}
	secret, err := newSecret(tokenPrefix)
	if err != nil {
		return NewToken{}, err
	}
	t := NewToken{ID: uuid.Must(uuid.NewV7()), Secret: secret, Actor: actor}
	if ttl > 0 {
		exp := time.Now().Add(ttl)
		t.Expires = &exp
	}
	_, err = db.Exec(ctx, `INSERT INTO api_tokens (token_id, token_hash, role, subject, label, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		t.ID, hashSecret(secret), string(actor.Role), actor.Subject, label, t.Expires)
	if err != nil {
		return NewToken{}, fmt.Errorf("storing the token: %w", err)
	}
	return t, nil
}

// RevokeToken stops a token working.
func RevokeToken(ctx context.Context, db *pgxpool.Pool, id uuid.UUID) error {
	tag, err := db.Exec(ctx, `UPDATE api_tokens SET revoked_at = now() WHERE token_id = $1 AND revoked_at IS NULL`, id)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("no live token %s", id)
	}
	return nil
}

func newSecret(prefix string) (string, error) {
	b := make([]byte, secretBytes)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b), nil
}

func hashSecret(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// principals resolves tokens and session ids to actors.
type principals struct {
	db  *pgxpool.Pool
	now func() time.Time
}

var errBadCredentials = fmt.Errorf("%w: the token or session is not valid (unknown, expired or revoked)", authz.ErrUnauthenticated)

func (p principals) byToken(ctx context.Context, secret string) (authz.Actor, error) {
	if !strings.HasPrefix(secret, tokenPrefix) {
		return authz.Actor{}, errBadCredentials
	}
	return p.lookup(ctx, `SELECT role, subject FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)`, secret)
}

func (p principals) bySession(ctx context.Context, secret string) (authz.Actor, error) {
	if !strings.HasPrefix(secret, sessionPrefix) {
		return authz.Actor{}, errBadCredentials
	}
	return p.lookup(ctx, `SELECT role, subject FROM api_sessions WHERE session_hash = $1 AND revoked_at IS NULL AND expires_at > $2`, secret)
}

func (p principals) lookup(ctx context.Context, sql, secret string) (authz.Actor, error) {
	var role, subject string
	err := p.db.QueryRow(ctx, sql, hashSecret(secret), p.now()).Scan(&role, &subject)
	if errors.Is(err, pgx.ErrNoRows) {
		return authz.Actor{}, errBadCredentials
	}
	if err != nil {
		return authz.Actor{}, fmt.Errorf("checking credentials: %w", err)
	}
	a := authz.Actor{Role: authz.Role(role), Subject: subject}
	return a, a.Valid()
}

func (p principals) startSession(ctx context.Context, a authz.Actor, ttl time.Duration) (string, time.Time, error) {
	secret, err := newSecret(sessionPrefix)
	if err != nil {
		return "", time.Time{}, err
	}
	exp := p.now().Add(ttl)
	_, err = p.db.Exec(ctx, `INSERT INTO api_sessions (session_hash, role, subject, expires_at) VALUES ($1, $2, $3, $4)`,
		hashSecret(secret), string(a.Role), a.Subject, exp)
	return secret, exp, err
}

func (p principals) endSession(ctx context.Context, secret string) error {
	_, err := p.db.Exec(ctx, `UPDATE api_sessions SET revoked_at = now() WHERE session_hash = $1`, hashSecret(secret))
	return err
}
