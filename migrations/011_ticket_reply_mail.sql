-- The requester is emailed when an agent replies publicly on their ticket: a second kind of
-- message in the outbox. Like a reset row, a reply row holds references only: the account
-- (whose address is read from its encrypted history when the message is sent) and the
-- ticket (whose page the message links to). The reply's words are never copied here, and
-- an internal note never queues anything.
ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_kind_check;
ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_kind_check CHECK (kind IN ('password_reset', 'ticket_reply'));
ALTER TABLE mail_outbox ADD COLUMN ticket_id text CHECK (ticket_id <> '');
ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_ticket_reply_names_its_ticket CHECK (kind <> 'ticket_reply' OR ticket_id IS NOT NULL);

---- create above / drop below ----

DELETE FROM mail_outbox WHERE kind = 'ticket_reply';
ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_ticket_reply_names_its_ticket;
ALTER TABLE mail_outbox DROP COLUMN ticket_id;
ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_kind_check;
ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_kind_check CHECK (kind IN ('password_reset'));
