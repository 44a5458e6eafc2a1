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
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/commands"
)

// MaxBody bounds a request body; the API takes small JSON documents only.
const MaxBody = 1 << 20

// idempotency replays the first response to a repeated Idempotency-Key. The key belongs to
// the signed-in principal, so two people cannot collide (or read each other's answers).
// The first request claims the key while it runs; a concurrent repeat waits up to wait
// for its response, then is told the request is still in progress (409).
type idempotency struct {
	db   *pgxpool.Pool
	wait time.Duration
}

// claimLease is how long a claim holds the key: past it, the request holding it is taken
// to have died and a repeat may run instead. It is longer than any request takes.
const claimLease = 2 * time.Minute

// pollEvery is how often a waiting repeat looks for the first request's response.
const pollEvery = 25 * time.Millisecond

type storedResponse struct {
	Status      int
	ContentType string
	Headers     http.Header
	Body        []byte
}

// asyncCommit makes the statement after it commit without waiting for the disk. The
// idempotency records need no flush of their own: a claim is followed by the command's
// append, whose commit flushes the log up to and past the claim; and a response record lost
// in a crash only means a retry runs the command again, under the same command id, which
// the event store recognises and answers with the same result. Waiting for the disk twice
// more per command was two thirds of a command's time in make bench.
const asyncCommit = `WITH async AS (SELECT set_config('synchronous_commit', 'off', true)) `

// begin claims the key, or finds its stored response. It returns the command id every
// attempt with this key uses; owned says this request holds the claim and must run (and
// then finish or release). A claim held by another request is waited on.
func (s idempotency) begin(ctx context.Context, principal, key string, hash []byte) (cmdID uuid.UUID, stored *storedResponse, err error) {
	deadline := time.Now().Add(s.wait)
	lease := claimLease.Seconds()
	for {
		// A new key: claim it with a fresh command id.
		err = s.db.QueryRow(ctx, asyncCommit+`INSERT INTO api_idempotency_keys (principal, key, request_hash, command_id, claimed_until)
			SELECT $1, $2, $3, $4, now() + make_interval(secs => $5) FROM async
			ON CONFLICT (principal, key) DO NOTHING RETURNING command_id`,
			principal, key, hash, commands.NewCommandID(), lease).Scan(&cmdID)
		if err == nil {
			return cmdID, nil, nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return uuid.Nil, nil, fmt.Errorf("idempotency key: %w", err)
		}
		// A known key with no response and no live claim: claim it, keeping its command id.
		err = s.db.QueryRow(ctx, asyncCommit+`UPDATE api_idempotency_keys SET claimed_until = now() + make_interval(secs => $4)
			FROM async WHERE principal = $1 AND key = $2 AND request_hash = $3 AND status IS NULL AND (claimed_until IS NULL OR claimed_until <= now())
			RETURNING command_id`, principal, key, hash, lease).Scan(&cmdID)
		if err == nil {
			return cmdID, nil, nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return uuid.Nil, nil, fmt.Errorf("idempotency key: %w", err)
		}
		var (
			reqHash []byte
			status  *int
			ct      *string
			headers []byte
			body    []byte
		)
		err = s.db.QueryRow(ctx, `SELECT request_hash, status, content_type, headers, body FROM api_idempotency_keys WHERE principal = $1 AND key = $2`,
			principal, key).Scan(&reqHash, &status, &ct, &headers, &body)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			continue // deleted since: claim it afresh
		case err != nil:
			return uuid.Nil, nil, fmt.Errorf("idempotency key: %w", err)
		case !bytes.Equal(reqHash, hash):
			return uuid.Nil, nil, errKeyReused
		case status != nil:
			r := &storedResponse{Status: *status, Body: body}
			if ct != nil {
				r.ContentType = *ct
			}
			if len(headers) > 0 {
				_ = json.Unmarshal(headers, &r.Headers)
			}
			return uuid.Nil, r, nil
		}
		// Another request holds the claim: wait for its response.
		if time.Now().After(deadline) {
			return uuid.Nil, nil, errInProgress
		}
		select {
		case <-ctx.Done():
			return uuid.Nil, nil, ctx.Err()
		case <-time.After(pollEvery):
		}
	}
}

// finish stores the response and ends the claim.
func (s idempotency) finish(ctx context.Context, principal, key string, r storedResponse) error {
	h, err := json.Marshal(r.Headers)
	if err != nil {
		return err
	}
	_, err = s.db.Exec(ctx, asyncCommit+`UPDATE api_idempotency_keys SET status = $3, content_type = $4, headers = $5, body = $6, completed_at = now(), claimed_until = NULL
		FROM async WHERE principal = $1 AND key = $2 AND status IS NULL`, principal, key, r.Status, r.ContentType, h, r.Body)
	return err
}

// release ends the claim without a response, so a retry runs (with the same command id).
func (s idempotency) release(ctx context.Context, principal, key string) error {
	_, err := s.db.Exec(ctx, asyncCommit+`UPDATE api_idempotency_keys SET claimed_until = NULL FROM async WHERE principal = $1 AND key = $2 AND status IS NULL`, principal, key)
	return err
}

var errInProgress = func() *Problem {
	p := newProblem(http.StatusConflict, TypeInProgress,
		"a request with this Idempotency-Key is still being processed; retry to get its response")
	p.headers = http.Header{"Retry-After": []string{"1"}}
	return p
}()

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
		if key == "" || r.Method == http.MethodGet || r.Method == http.MethodHead || !rq.authenticated || carriesSecrets(r) {
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
		if errors.Is(err, context.Canceled) {
			return // the client went away while waiting
		}
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
		finished := false
		defer func() {
			// A server error or a panic leaves no response to replay: open the key for a
			// retry at once rather than at the end of the lease.
			if !finished {
				_ = s.release(context.WithoutCancel(r.Context()), principal, key)
			}
		}()
		next.ServeHTTP(rec, r)
		if rec.status >= 500 {
			return
		}
		finished = true
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
