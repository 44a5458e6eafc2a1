-- The HTTP API's own state. Tokens and session ids are kept only as SHA-256 hashes: they
-- are 256-bit random values, so a fast hash is enough, and a copy of this table lets
-- nobody in.

CREATE TABLE api_tokens (
    token_id   uuid        PRIMARY KEY,
    token_hash bytea       NOT NULL UNIQUE,
    role       text        NOT NULL CHECK (role IN ('patient', 'clinician', 'support_agent', 'it_support', 'accounts', 'auditor', 'admin')),
    subject    text        NOT NULL CHECK (subject <> ''),
    label      text        NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz,
    revoked_at timestamptz
);

CREATE TABLE api_sessions (
    session_hash bytea       PRIMARY KEY,
    role         text        NOT NULL,
    subject      text        NOT NULL CHECK (subject <> ''),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz
);
CREATE INDEX api_sessions_expiry ON api_sessions (expires_at);

-- Idempotency-Key: one row per (who, key). request_hash covers method, path and body, so
-- the same key with a different request is told apart; command_id is reused by every
-- repeat, so a repeat that arrives before the first has answered is recognised by the
-- command layer too. status is null until the first response is stored.
CREATE TABLE api_idempotency_keys (
    principal    text        NOT NULL,
    key          text        NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    request_hash bytea       NOT NULL,
    command_id   uuid        NOT NULL,
    status       integer,
    content_type text,
    headers      jsonb,
    body         bytea,
    created_at   timestamptz NOT NULL DEFAULT now(),
    completed_at timestamptz,
    PRIMARY KEY (principal, key)
);
CREATE INDEX api_idempotency_keys_age ON api_idempotency_keys (created_at);

---- create above / drop below ----

DROP TABLE api_idempotency_keys;
DROP TABLE api_sessions;
DROP TABLE api_tokens;
