-- Workflow progress (the Workflow aggregate's events): one row per workflow, one per step, and the progress events
-- that GET /workflows/{id}/events replays and follows, numbered by the workflow's own event sequence.
CREATE TABLE workflow_view (
    workflow_id        text PRIMARY KEY,
    account_id         text        NOT NULL,
    status             text        NOT NULL,
    fail_mode          text        NOT NULL,
    total              integer     NOT NULL,
    completed          integer     NOT NULL,
    failed             integer     NOT NULL,
    cancelled          integer     NOT NULL,
    cost_micro_credits bigint      NOT NULL,
    created_at         timestamptz NOT NULL,
    finished_at        timestamptz,
    last_sequence      bigint      NOT NULL
);
CREATE INDEX workflow_view_account ON workflow_view (account_id);

CREATE TABLE workflow_step_view (
    workflow_id        text    NOT NULL REFERENCES workflow_view (workflow_id),
    step_index         integer NOT NULL,
    step_key           text    NOT NULL,
    model              text    NOT NULL,
    depends_on         text    NOT NULL,
    status             text    NOT NULL,
    job_id             text,
    island_id          text,
    attempts           integer NOT NULL,
    units              bigint,
    cost_micro_credits bigint  NOT NULL,
    failed_on          text    NOT NULL,
    reason             text,
    output             text,
    PRIMARY KEY (workflow_id, step_index)
);

CREATE TABLE workflow_progress (
    workflow_id text        NOT NULL REFERENCES workflow_view (workflow_id),
    seq         bigint      NOT NULL,
    type        text        NOT NULL,
    data        text        NOT NULL,
    at          timestamptz NOT NULL,
    PRIMARY KEY (workflow_id, seq)
);
