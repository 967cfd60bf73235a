-- Keys have a life: when a key was last used (to the minute) and when it was revoked. A revoked key stays, so that
-- its prefix is never issued again and its owner still sees it listed.
ALTER TABLE api_key ADD COLUMN IF NOT EXISTS last_used_at timestamptz;
ALTER TABLE api_key ADD COLUMN IF NOT EXISTS revoked_at timestamptz;

-- Job ids are chosen by consumers, and a job's input and output stream are reached by its id before its bid exists
-- (the read model knows the consumer a moment after the bid). The first account to use an id, by leaving input,
-- opening its output stream or bidding with it, holds it: another account's key can then neither overwrite the
-- input nor read the output of a job under that id.
CREATE TABLE IF NOT EXISTS job_claim (
    job_id     text PRIMARY KEY,
    account_id text        NOT NULL,
    claimed_at timestamptz NOT NULL
);
