-- The mail outbox: one row per message an event asks for, written by the outbox policy in
-- the same transaction as its checkpoint (so a message exists exactly when its event was
-- handled, and never for an event that was not committed), and worked off by the sender.
--
-- A row holds references, not the message: the recipient's address and the reset link's
-- token are made again when the message is sent (the address from the account's
-- encrypted history, the token from the requesting command's id), so no address and no
-- token sits here in the clear.
--
-- message_id is derived from the event, so a redelivered event or a rebuilt policy adds
-- nothing: each message is queued once. status: pending (due at next_attempt_at, or at once
-- when it is null), sent, dropped (no longer worth sending: the link was used, replaced or
-- expired) or failed (refused for good, or out of attempts).
CREATE TABLE mail_outbox (
    message_id      uuid        PRIMARY KEY,
    kind            text        NOT NULL CHECK (kind IN ('password_reset')),
    account_id      text        NOT NULL CHECK (account_id <> ''),
    event_id        uuid        NOT NULL,
    cause_command   uuid        NOT NULL,
    queued_at       timestamptz NOT NULL DEFAULT now(),
    status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dropped', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at timestamptz,
    last_error      text,
    done_at         timestamptz
);

CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at NULLS FIRST, queued_at) WHERE status = 'pending';

---- create above / drop below ----

DROP TABLE mail_outbox;
