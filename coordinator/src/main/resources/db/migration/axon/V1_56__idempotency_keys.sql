-- Idempotency-Key on the POSTs that create work: the first request with a key claims (scope, key) in progress and
-- leaves its answer here when it ends; a retry with the same key and the same request (by fingerprint, a SHA-256 of
-- method, path and body) is answered from the row, so it neither creates nor charges another job. The scope is
-- 'account:<id>' for an account's key, 'operator' for the operator. Rows live 24 hours, then are swept.
CREATE TABLE IF NOT EXISTS idempotency_key (
    scope           text        NOT NULL,
    idempotency_key text        NOT NULL,
    fingerprint     text        NOT NULL,
    -- in_progress, answered (status, headers and body kept), too_large (status and headers kept, the body was not)
    state           text        NOT NULL,
    created_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    status          integer,
    content_type    text,
    -- the answer's headers that matter (X-Archipelago-*, Location, Cache-Control, Retry-After) as a JSON object
    headers         text,
    body            bytea,
    PRIMARY KEY (scope, idempotency_key)
);
CREATE INDEX IF NOT EXISTS idempotency_key_created ON idempotency_key (created_at);
