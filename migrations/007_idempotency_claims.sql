-- Idempotency-Key: the first request claims the key until claimed_until; a repeat that
-- arrives meanwhile waits for the stored response instead of running too. A claim that
-- lapses (its request died with the process) can be taken over by a repeat, which runs
-- with the same command id. NULL is an open key: a stored response, a request that ended
-- in a server error and left the key for a retry, or a row from before this migration.

ALTER TABLE api_idempotency_keys ADD COLUMN claimed_until timestamptz;

---- create above / drop below ----

ALTER TABLE api_idempotency_keys DROP COLUMN claimed_until;
