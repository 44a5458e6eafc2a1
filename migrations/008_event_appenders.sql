-- Appenders announce themselves, so that only they hold the tail back.
--
-- Readers of the global order used to stop below the oldest transaction running anywhere
-- on the server (pg_snapshot_xmin), so a transaction held open in another database or on
-- an unrelated table stalled every projection. Now every transaction that inserts into
-- events first takes a shared advisory lock (events_appender_lock_key() in this database),
-- and readers stop below the oldest running transaction that holds it (see readAllSQL in
-- adapters/postgres/store.go).
--
-- The invariant that makes this safe: a transaction takes the lock BEFORE it has a
-- transaction id. Its xid, and so the transaction_id of its events, is assigned after the
-- lock is held, so a reader that sees an xid in its snapshot and finds that transaction
-- running without the lock knows it has not appended and never will. A transaction that
-- already has an xid (it wrote something else first) is refused: it might be older than
-- what readers have already passed, and its events would be skipped. Append in a
-- transaction of its own, or append before writing anything else.
--
-- The trigger fires whatever session_replication_role says (ENABLE ALWAYS): an insert
-- that skipped it would be an insert readers can skip.

CREATE FUNCTION events_appender_lock_key() RETURNS bigint LANGUAGE sql IMMUTABLE
    AS $$ SELECT 1818518902::bigint $$; -- "ldev" in ASCII

-- Kept to simple expressions on the path every append takes (no PERFORM, no subquery),
-- which PL/pgSQL evaluates without running a query: the trigger fires once per append.
CREATE FUNCTION events_register_appender() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
        -- Only a transaction that already appended may append again.
        IF NOT EXISTS (
            SELECT 1 FROM pg_locks
            WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
              AND classid = 0 AND objid::bigint = events_appender_lock_key() AND objsubid = 1)
        THEN
            RAISE EXCEPTION 'events must be appended before the transaction writes anything else'
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      HINT = 'Append in a transaction of its own, or first: a transaction that already has an id could be older than what readers have passed.';
        END IF;
    END IF;
    -- Nothing takes the lock exclusively, so the try always succeeds; the wait is a fallback.
    IF NOT pg_try_advisory_xact_lock_shared(events_appender_lock_key()) THEN
        PERFORM pg_advisory_xact_lock_shared(events_appender_lock_key());
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER events_register_appender
    BEFORE INSERT ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_register_appender();

ALTER TABLE events ENABLE ALWAYS TRIGGER events_register_appender;

---- create above / drop below ----

DROP TRIGGER events_register_appender ON events;
DROP FUNCTION events_register_appender();
DROP FUNCTION events_appender_lock_key();
