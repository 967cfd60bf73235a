-- Batches of the consumer's door: one row per batch, one per item, and the batch's progress events in order, which
-- GET /batches/{id}/events replays to a late subscriber. The items' jobs are ordinary jobs of the exchange (their
-- money is in the event store); these tables only remember which jobs belong to which batch and what came of them.
CREATE TABLE batch (
    batch_id    text PRIMARY KEY,
    account_id  text        NOT NULL,
    model       text        NOT NULL,
    status      text        NOT NULL,
    total       integer     NOT NULL,
    created_at  timestamptz NOT NULL,
    finished_at timestamptz
);
CREATE INDEX batch_account ON batch (account_id);

CREATE TABLE batch_item (
    batch_id           text    NOT NULL REFERENCES batch (batch_id),
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

CREATE TABLE batch_event (
    batch_id text        NOT NULL REFERENCES batch (batch_id),
    seq      integer     NOT NULL,
    type     text        NOT NULL,
    data     text        NOT NULL,
    at       timestamptz NOT NULL,
    PRIMARY KEY (batch_id, seq)
);
