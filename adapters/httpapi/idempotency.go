package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/commands"
)

// MaxBody bounds a request body; the API takes small JSON documents only.
const MaxBody = 1 << 20

// idempotency replays the first response to a repeated Idempotency-Key. The key belongs to
// the signed-in principal, so two people cannot collide (or read each other's answers).
type idempotency struct{ db *pgxpool.Pool }

type storedResponse struct {
	Status      int
	ContentType string
	Headers     http.Header
	Body        []byte
}

// begin records the key, or finds it. It returns the command id every attempt with this
// key uses, and the stored response if the first attempt finished.
func (s idempotency) begin(ctx context.Context, principal, key string, hash []byte) (uuid.UUID, *storedResponse, error) {
	fresh := commands.NewCommandID()
	var (
		stored  []byte
		cmdID   uuid.UUID
		status  *int
		ct      *string
		headers []byte
		body    []byte
	)
	err := s.db.QueryRow(ctx, `
		WITH ins AS (
			INSERT INTO api_idempotency_keys (principal, key, request_hash, command_id) VALUES ($1, $2, $3, $4)
			ON CONFLICT (principal, key) DO NOTHING
			RETURNING request_hash, command_id, status, content_type, headers, body)
		SELECT * FROM ins
		UNION ALL
		SELECT request_hash, command_id, status, content_type, headers, body FROM api_idempotency_keys
		WHERE principal = $1 AND key = $2 AND NOT EXISTS (SELECT 1 FROM ins)`,
		principal, key, hash, fresh).Scan(&stored, &cmdID, &status, &ct, &headers, &body)
	if errors.Is(err, pgx.ErrNoRows) {
		// Inserted by a concurrent request after our snapshot: read it now.
		err = s.db.QueryRow(ctx, `SELECT request_hash, command_id, status, content_type, headers, body FROM api_idempotency_keys WHERE principal = $1 AND key = $2`,
			principal, key).Scan(&stored, &cmdID, &status, &ct, &headers, &body)
	}
	if err != nil {
		return uuid.Nil, nil, fmt.Errorf("idempotency key: %w", err)
	}
	if !bytes.Equal(stored, hash) {
		return uuid.Nil, nil, errKeyReused
	}
	if status == nil {
		return cmdID, nil, nil
	}
	r := &storedResponse{Status: *status, Body: body}
	if ct != nil {
		r.ContentType = *ct
	}
	if len(headers) > 0 {
		_ = json.Unmarshal(headers, &r.Headers)
	}
	return cmdID, r, nil
}

func (s idempotency) finish(ctx context.Context, principal, key string, r storedResponse) error {
	h, err := json.Marshal(r.Headers)
	if err != nil {
		return err
	}
	_, err = s.db.Exec(ctx, `UPDATE api_idempotency_keys SET status = $3, content_type = $4, headers = $5, body = $6, completed_at = now()
		WHERE principal = $1 AND key = $2 AND status IS NULL`, principal, key, r.Status, r.ContentType, h, r.Body)
	return err
}

var errKeyReused = newProblem(http.StatusUnprocessableEntity, TypeIdempotencyKey,
	"this Idempotency-Key was already used for a different request; use a new key for a new request")

// replayedHeaders are the response headers worth replaying with the body.
var replayedHeaders = []string{"ETag", "Location", "Retry-After"}

// middleware applies Idempotency-Key to signed-in unsafe requests. Server errors (5xx)
// are not stored: the key stays open, and a retry runs again with the same command id,
// which the command layer recognises if the first attempt did get through.
func (s idempotency) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("Idempotency-Key")
		rq := requestOf(r.Context())
		if key == "" || r.Method == http.MethodGet || r.Method == http.MethodHead || !rq.authenticated {
			next.ServeHTTP(w, r)
			return
		}
		if len(key) > 255 {
			writeProblem(w, newProblem(http.StatusBadRequest, TypeValidation, "Idempotency-Key: at most 255 characters"))
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
		if err != nil {
			writeProblem(w, newProblem(http.StatusRequestEntityTooLarge, TypeValidation, "request body too large"))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		h := sha256.New()
		fmt.Fprintf(h, "%s\x00%s\x00", r.Method, r.URL.RequestURI())
		h.Write(body)
		principal := string(rq.actor.Role) + ":" + rq.actor.Subject
		cmdID, stored, err := s.begin(r.Context(), principal, key, h.Sum(nil))
		if err != nil {
			writeProblem(w, problemFor(err))
			return
		}
		if stored != nil {
			for k, vs := range stored.Headers {
				for _, v := range vs {
					w.Header().Add(k, v)
				}
			}
			if stored.ContentType != "" {
				w.Header().Set("Content-Type", stored.ContentType)
			}
			w.Header().Set("Idempotent-Replayed", "true")
			w.WriteHeader(stored.Status)
			_, _ = w.Write(stored.Body)
			return
		}
		rq.commandID = cmdID
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		if rec.status >= 500 {
			return
		}
		keep := http.Header{}
		for _, k := range replayedHeaders {
			if v := rec.Header().Values(k); len(v) > 0 {
				keep[k] = v
			}
		}
		// The response is already sent; a failure to store it only means a repeat runs the
		// command again, with the same command id, so it is replayed by the command layer.
		_ = s.finish(context.WithoutCancel(r.Context()), principal, key, storedResponse{
			Status: rec.status, ContentType: rec.Header().Get("Content-Type"), Headers: keep, Body: rec.body.Bytes()})
	})
}

// recorder passes a response through and keeps a copy.
type recorder struct {
	http.ResponseWriter
	status int
	wrote  bool
	body   bytes.Buffer
}

func (r *recorder) WriteHeader(s int) {
	if !r.wrote {
		r.status, r.wrote = s, true
	}
	r.ResponseWriter.WriteHeader(s)
}

func (r *recorder) Write(b []byte) (int, error) {
	if !r.wrote {
		r.wrote = true
	}
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}
