-- One key per data subject (a person, or a V1 item standing for one), for UK GDPR
-- crypto-shredding: personal fields of events are encrypted with their subject's key (see
-- commands/codec). Erasing a person sets their key to NULL and stamps erased_at; the
-- events stay as they are and their personal fields can never be read again.
--
-- key is the raw 32-byte key, or, when the deployment configures a master key, that key
-- wrapped by it (a version byte, a nonce and the AES-GCM ciphertext).
CREATE TABLE personal_data_keys (
    subject    text        PRIMARY KEY CHECK (subject <> ''),
    key        bytea,
    created_at timestamptz NOT NULL DEFAULT now(),
    erased_at  timestamptz,
    CONSTRAINT personal_data_keys_key_until_erased CHECK ((key IS NULL) = (erased_at IS NOT NULL))
);

-- A row is never deleted, so an erasure stays on record and the subject can never be
-- handed a fresh key; and an erasure is never undone.
CREATE FUNCTION personal_data_keys_erasure_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR TG_OP = 'TRUNCATE' THEN
        RAISE EXCEPTION 'personal data keys are never deleted: erase them instead'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.erased_at IS NOT NULL AND (NEW.key IS NOT NULL OR NEW.erased_at IS DISTINCT FROM OLD.erased_at) THEN
        RAISE EXCEPTION 'personal data key of % was erased: erasure is final', OLD.subject
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER personal_data_keys_no_undo
    BEFORE UPDATE OR DELETE ON personal_data_keys
    FOR EACH ROW EXECUTE FUNCTION personal_data_keys_erasure_is_final();

CREATE TRIGGER personal_data_keys_no_truncate
    BEFORE TRUNCATE ON personal_data_keys
    FOR EACH STATEMENT EXECUTE FUNCTION personal_data_keys_erasure_is_final();

---- create above / drop below ----

DROP TABLE personal_data_keys;
DROP FUNCTION personal_data_keys_erasure_is_final();
