-- Where each consumer (a projection, a policy) has got to in the global order. A consumer
-- advances its row in the same transaction as its effects, so a crash never loses or
-- doubles one.
CREATE TABLE consumer_checkpoints (
    consumer     text        PRIMARY KEY,
    commit_pos   bigint      NOT NULL DEFAULT 0,
    prepare_pos  bigint      NOT NULL DEFAULT 0,
    events_seen  bigint      NOT NULL DEFAULT 0,
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Events a consumer could not apply after its retries: kept with the error, visible in
-- `ledgerdesk projections status`, and retried by `ledgerdesk projections retry`.
CREATE TABLE parked_events (
    consumer    text        NOT NULL,
    event_id    uuid        NOT NULL,
    stream_id   text        NOT NULL,
    stream_version bigint   NOT NULL,
    type        text        NOT NULL,
    commit_pos  bigint      NOT NULL,
    prepare_pos bigint      NOT NULL,
    error       text        NOT NULL,
    parked_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

---- create above / drop below ----

DROP TABLE parked_events;
DROP TABLE consumer_checkpoints;
