-- Batch progress (the Batch aggregate's events): one row per batch, one per item, and the progress events that
-- GET /batches/{id}/events replays and follows, numbered by the batch's own event sequence.
CREATE TABLE batch_view (
    batch_id           text PRIMARY KEY,
    account_id         text        NOT NULL,
    model              text        NOT NULL,
    status             text        NOT NULL,
    total              integer     NOT NULL,
    completed          integer     NOT NULL,
    failed             integer     NOT NULL,
    cost_micro_credits bigint      NOT NULL,
    created_at         timestamptz NOT NULL,
    finished_at        timestamptz,
    last_sequence      bigint      NOT NULL
);
CREATE INDEX batch_view_account ON batch_view (account_id);

CREATE TABLE batch_item_view (
    batch_id           text    NOT NULL REFERENCES batch_view (batch_id),
    item_index         integer NOT NULL,
    status             text    NOT NULL,
    job_id             text,
    island_id          text,
    attempts           integer NOT NULL,
    units              bigint,
    cost_micro_credits bigint,
    failed_on          text    NOT NULL,
    reason             text,
    result             text,
    PRIMARY KEY (batch_id, item_index)
);

CREATE TABLE batch_progress (
    batch_id text        NOT NULL REFERENCES batch_view (batch_id),
    seq      bigint      NOT NULL,
    type     text        NOT NULL,
    data     text        NOT NULL,
    at       timestamptz NOT NULL,
    PRIMARY KEY (batch_id, seq)
);
