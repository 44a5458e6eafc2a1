-- The support centre's secrets and files, kept outside the event history: events say that
-- a password changed, that two-factor was set up, that a document was attached or
-- destroyed; the hashes, secrets and bytes themselves live here, where they can be
-- replaced and deleted, which an append-only history cannot do.

-- One argon2id hash (PHC string) per account that has a password. set_by_command is the
-- command that last set it, so a retried command recognises its own work.
CREATE TABLE support_credentials (
    account_id     text        PRIMARY KEY CHECK (account_id <> ''),
    password_hash  text        NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    set_by_command uuid        NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- TOTP secrets, sealed (AES-256-GCM under a key derived from the deployment's master key,
-- bound to the reference and the account). Events carry only ref. confirmed is set once
-- the holder typed a valid code (the secret is then enrolled); a two-factor reset deletes
-- the confirmed secrets. last_step is the last accepted 30-second step, so a code cannot
-- be replayed within its window.
CREATE TABLE support_totp_secrets (
    ref        text        PRIMARY KEY CHECK (ref <> ''),
    account_id text        NOT NULL CHECK (account_id <> ''),
    sealed     bytea       NOT NULL,
    confirmed  boolean     NOT NULL DEFAULT false,
    last_step  bigint      NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX support_totp_secrets_by_account ON support_totp_secrets (account_id);

-- One data key per ticket and class of attachment, wrapped by the master key. Identity
-- documents have their own key, deleted once the last of them is destroyed: the sealed
-- bytes in any backup are then unreadable (crypto-shredding), while the ticket's other
-- attachments, under the other key, stay readable.
CREATE TABLE attachment_keys (
    ticket_id   text        NOT NULL CHECK (ticket_id <> ''),
    class       text        NOT NULL CHECK (class IN ('identity', 'other')),
    wrapped_key bytea       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (ticket_id, class)
);

-- The sealed bytes of each attachment. content_type is what sniffing the bytes found.
CREATE TABLE attachment_blobs (
    attachment_id text        PRIMARY KEY CHECK (attachment_id <> ''),
    ticket_id     text        NOT NULL,
    class         text        NOT NULL CHECK (class IN ('identity', 'other')),
    content_type  text        NOT NULL,
    size          bigint      NOT NULL CHECK (size > 0),
    sha256        bytea       NOT NULL,
    sealed        bytea       NOT NULL,
    stored_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachment_blobs_by_ticket ON attachment_blobs (ticket_id, class);

-- A tombstone per destroyed attachment: its id can never hold bytes again, and a reader
-- is told it was destroyed rather than that it never existed.
CREATE TABLE attachment_destructions (
    attachment_id text        PRIMARY KEY,
    ticket_id     text        NOT NULL,
    destroyed_at  timestamptz NOT NULL DEFAULT now()
);

-- Every time anyone reads an attachment's bytes, whatever the reason. Append-only, like
-- the events: an access log that can be edited proves nothing.
CREATE TABLE attachment_reads (
    read_id       bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    attachment_id text        NOT NULL,
    ticket_id     text        NOT NULL,
    reader        text        NOT NULL CHECK (reader <> ''),
    read_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachment_reads_by_attachment ON attachment_reads (attachment_id, read_id);

CREATE FUNCTION attachment_reads_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'attachment reads are an append-only log: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER attachment_reads_append_only
    BEFORE UPDATE OR DELETE ON attachment_reads
    FOR EACH ROW EXECUTE FUNCTION attachment_reads_are_append_only();

CREATE TRIGGER attachment_reads_no_truncate
    BEFORE TRUNCATE ON attachment_reads
    FOR EACH STATEMENT EXECUTE FUNCTION attachment_reads_are_append_only();

-- Only for a deployment without LEDGERDESK_MASTER_KEY (development, the demo): a master
-- key generated on first use and kept here. It protects nothing against a copy of the
-- database, as the binary warns; a real deployment sets the variable and never uses it.
CREATE TABLE support_development_key (
    singleton  boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    key        bytea       NOT NULL CHECK (length(key) = 32),
    created_at timestamptz NOT NULL DEFAULT now()
);

---- create above / drop below ----

DROP TABLE support_development_key;
DROP TABLE attachment_reads;
DROP FUNCTION attachment_reads_are_append_only();
DROP TABLE attachment_destructions;
DROP TABLE attachment_blobs;
DROP TABLE attachment_keys;
DROP TABLE support_totp_secrets;
DROP TABLE support_credentials;
