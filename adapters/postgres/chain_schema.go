package postgres

// chainDDL creates the hash chain's table. It lives here rather than in migrations/ because
// tern refuses a numbered migration with a gap before it; the statements are idempotent and
// run under the chain's advisory lock, so any number of processes may run them.
//
// Appends never touch this table: a chain computed inside each append would make every
// writer wait for the one before it. Chain.Seal extends it afterwards, reading the events
// exactly as a tailing reader does (only transactions older than every running one that
// may append, in (transaction_id, global_position) order), so no event can later appear
// before the sealed head. Row seq holds sha256(chainDomain || hash of seq-1 || canonical bytes of the event).
const chainDDL = `
CREATE TABLE IF NOT EXISTS event_chain (
    seq             bigint      PRIMARY KEY CHECK (seq > 0),
    global_position bigint      NOT NULL UNIQUE,
    transaction_id  xid8        NOT NULL,
    event_id        uuid        NOT NULL UNIQUE,
    hash            bytea       NOT NULL CHECK (length(hash) = 32),
    sealed_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX IF NOT EXISTS event_chain_order ON event_chain (transaction_id, global_position);

CREATE OR REPLACE FUNCTION event_chain_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the event chain is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE OR REPLACE TRIGGER event_chain_append_only
    BEFORE UPDATE OR DELETE ON event_chain
    FOR EACH ROW EXECUTE FUNCTION event_chain_is_append_only();

CREATE OR REPLACE TRIGGER event_chain_no_truncate
    BEFORE TRUNCATE ON event_chain
    FOR EACH STATEMENT EXECUTE FUNCTION event_chain_is_append_only();
`

// chainLockKey is the advisory lock that makes one sealer at a time extend the chain
// (an arbitrary constant: "ldchain" in ASCII).
const chainLockKey int64 = 0x6c64636861696e
