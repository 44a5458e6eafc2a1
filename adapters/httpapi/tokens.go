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
	"ledgerdesk/domain/account"
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

// Accounts finds the account a token's subject names; *support.Service is one. An
// unknown id is an error wrapping account.ErrAccountNotFound.
type Accounts interface {
	Account(ctx context.Context, accountID string) (account.State, error)
}

// ErrTokenRole refuses a token whose role is not what its subject's account is.
var ErrTokenRole = errors.New("the token's role does not match its subject's account")

// CreateToken stores a new API token for actor and returns it; only its hash is kept.
// ttl 0 means it does not expire. The role must match the subject's account in accounts
// (see checkTokenRole); nil accounts means a deployment without a support centre, where
// no support role can be issued.
func CreateToken(ctx context.Context, db *pgxpool.Pool, accounts Accounts, actor authz.Actor, label string, ttl time.Duration) (NewToken, error) {
	if err := actor.Valid(); err != nil {
		return NewToken{}, err
	}
	if err := checkTokenRole(ctx, accounts, actor); err != nil {
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

// checkTokenRole says whether a token may act as actor. The support centre acts for the
// subject's account and shows agents' views (internal notes) to the support roles, so:
// support_agent and it_support need a support-site agent account; no other role may name
// an agent account; a portal account takes only its own role (patient, clinician,
// accounts). A subject with no account is fine for the non-support roles (staff ids,
// patient and clinician ids without an account).
func checkTokenRole(ctx context.Context, accounts Accounts, actor authz.Actor) error {
	supportRole := actor.Role == authz.SupportAgent || actor.Role == authz.ITSupport
	if accounts == nil {
		if supportRole {
			return fmt.Errorf("%w: a %s token needs a support agent's account, and there is no support centre here", ErrTokenRole, actor.Role)
		}
		return nil
	}
	st, err := accounts.Account(ctx, actor.Subject)
	if errors.Is(err, account.ErrAccountNotFound) {
		if supportRole {
			return fmt.Errorf("%w: a %s token needs a support agent's account, and %q has no account", ErrTokenRole, actor.Role, actor.Subject)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("checking the account of %q: %w", actor.Subject, err)
	}
	ok := false
	switch st.Realm {
	case account.RealmSupport:
		ok = (st.Role == account.RoleAgent) == supportRole
	case account.RealmPortal:
		ok = string(st.Role) == string(actor.Role)
	}
	if !ok {
		return fmt.Errorf("%w: %q is a %s %s account, not one a %s token may act as", ErrTokenRole, actor.Subject, st.Realm, st.Role, actor.Role)
	}
	return nil
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

// tokenRef is the token a request came with, for the sessions made from it.
type tokenRef struct {
	id      uuid.UUID
	expires *time.Time
}

func (p principals) byToken(ctx context.Context, secret string) (authz.Actor, tokenRef, error) {
	if !strings.HasPrefix(secret, tokenPrefix) {
		return authz.Actor{}, tokenRef{}, errBadCredentials
	}
	var ref tokenRef
	a, err := p.lookup(ctx, `SELECT role, subject, token_id, expires_at FROM api_tokens
		WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)`, secret, &ref.id, &ref.expires)
	return a, ref, err
}

// bySession finds a live session whose origin is live too: the token it came from not
// revoked nor expired, or the password it came from still the account's password.
func (p principals) bySession(ctx context.Context, secret string) (authz.Actor, error) {
	if !strings.HasPrefix(secret, sessionPrefix) {
		return authz.Actor{}, errBadCredentials
	}
	return p.lookup(ctx, `SELECT s.role, s.subject FROM api_sessions s
		LEFT JOIN api_tokens t ON t.token_id = s.token_id
		WHERE s.session_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2
		  AND CASE
		    WHEN s.token_id IS NOT NULL THEN t.token_id IS NOT NULL AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2)
		    WHEN s.password_account IS NOT NULL THEN s.credential_digest IS NOT DISTINCT FROM (`+credentialDigest+`)
		    ELSE false
		  END`, secret)
}

// credentialDigest is the SHA-256 of s.password_account's stored password hash, or NULL.
const credentialDigest = `SELECT sha256(convert_to(c.password_hash, 'UTF8')) FROM support_credentials c WHERE c.account_id = s.password_account`

func (p principals) lookup(ctx context.Context, sql, secret string, more ...any) (authz.Actor, error) {
	var role, subject string
	err := p.db.QueryRow(ctx, sql, hashSecret(secret), p.now()).Scan(append([]any{&role, &subject}, more...)...)
	if errors.Is(err, pgx.ErrNoRows) {
		return authz.Actor{}, errBadCredentials
	}
	if err != nil {
		return authz.Actor{}, fmt.Errorf("checking credentials: %w", err)
	}
	a := authz.Actor{Role: authz.Role(role), Subject: subject}
	return a, a.Valid()
}

// startSessionFromToken starts a session that ends when the token does: at the latest
// its expiry, and at once if it is revoked (bySession checks).
func (p principals) startSessionFromToken(ctx context.Context, a authz.Actor, tok tokenRef, ttl time.Duration) (string, time.Time, error) {
	return p.startSession(ctx, ttl, func(hash []byte, exp time.Time) pgx.Row {
		return p.db.QueryRow(ctx, `INSERT INTO api_sessions (session_hash, role, subject, expires_at, token_id)
			SELECT $1, $2, $3, LEAST($4, t.expires_at), t.token_id FROM api_tokens t WHERE t.token_id = $5
			RETURNING expires_at`, hash, string(a.Role), a.Subject, exp, tok.id)
	})
}

// startSessionFromPassword starts a session that ends when account's password changes.
// The digest is read after the sign-in checked the password; a change in the
// milliseconds between the two is the one it cannot see.
func (p principals) startSessionFromPassword(ctx context.Context, a authz.Actor, account string, ttl time.Duration) (string, time.Time, error) {
	return p.startSession(ctx, ttl, func(hash []byte, exp time.Time) pgx.Row {
		return p.db.QueryRow(ctx, `INSERT INTO api_sessions (session_hash, role, subject, expires_at, password_account, credential_digest)
			VALUES ($1, $2, $3, $4, $5::text, (SELECT sha256(convert_to(c.password_hash, 'UTF8')) FROM support_credentials c WHERE c.account_id = $5::text))
			RETURNING expires_at`, hash, string(a.Role), a.Subject, exp, account)
	})
}

func (p principals) startSession(ctx context.Context, ttl time.Duration, insert func(hash []byte, exp time.Time) pgx.Row) (string, time.Time, error) {
	secret, err := newSecret(sessionPrefix)
	if err != nil {
		return "", time.Time{}, err
	}
	var exp time.Time
	err = insert(hashSecret(secret), p.now().Add(ttl)).Scan(&exp)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", time.Time{}, errBadCredentials // the token went between the request's check and now
	}
	return secret, exp, err
}
func (p principals) endSession(ctx context.Context, secret string) error {
	_, err := p.db.Exec(ctx, `UPDATE api_sessions SET revoked_at = now() WHERE session_hash = $1`, hashSecret(secret))
	return err
}
