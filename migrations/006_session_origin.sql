-- A session ends no later than the credential it came from. A session from an API token
-- names the token (token_id): it stops working when the token is revoked or expires, and
-- goes with it if the token row is deleted. A session from a password sign-in names the
-- account (password_account) and keeps credential_digest, the SHA-256 of the account's
-- password hash at sign-in (NULL if it had none): any change to the stored hash, by
-- whichever path (change, reset, IT support), makes the digest differ and ends the
-- session. The digest of a salted argon2id hash lets nobody guess the password.
--
-- Sessions started before this migration cannot say where they came from: they end.

UPDATE api_sessions SET revoked_at = now() WHERE revoked_at IS NULL;

ALTER TABLE api_sessions
    ADD COLUMN token_id          uuid REFERENCES api_tokens (token_id) ON DELETE CASCADE,
    ADD COLUMN password_account  text CHECK (password_account <> ''),
    ADD COLUMN credential_digest bytea,
    ADD CONSTRAINT api_sessions_one_origin CHECK (revoked_at IS NOT NULL OR ((token_id IS NULL) <> (password_account IS NULL)));
CREATE INDEX api_sessions_by_token ON api_sessions (token_id) WHERE token_id IS NOT NULL;

---- create above / drop below ----

DROP INDEX api_sessions_by_token;
ALTER TABLE api_sessions
    DROP CONSTRAINT api_sessions_one_origin,
    DROP COLUMN credential_digest,
    DROP COLUMN password_account,
    DROP COLUMN token_id;
