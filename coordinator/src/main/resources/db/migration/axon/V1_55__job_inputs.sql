-- What each job is asked to do (PUT /jobs/{id}/input, or what the consumer's door leaves before the bid), stored
-- before the input is acknowledged so that a job placed after a restart, placed again, or dispatched by another node
-- runs on it. The input is the compact UTF-8 JSON as it was left, in bytea rather than jsonb: jsonb would refuse
-- valid JSON (a \u0000 in a prompt) and reorder the object. A row is deleted at its job's settlement, or from
-- delete_after on by the periodic sweep (the retention after settlement, or the maximum age when no settlement was
-- seen), so nothing stays forever.
CREATE TABLE job_input (
    job_id       text        PRIMARY KEY,
    account_id   text,
    input        bytea       NOT NULL,
    size_bytes   integer     NOT NULL,
    created_at   timestamptz NOT NULL,
    delete_after timestamptz NOT NULL
);
CREATE INDEX job_input_delete_after ON job_input (delete_after);
