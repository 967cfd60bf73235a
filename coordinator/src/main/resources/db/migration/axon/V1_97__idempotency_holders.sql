-- A key in progress names the process running its request (holder, new at every start) and the job that request
-- made (job_id on market job_cargo, noted before the job's bid is submitted). Each holder renews a lease here; a key whose holder's lease
-- ran out, because its node was killed or lost the database, is taken over by the next retry on any node, which
-- first ends the job the dead request left behind. Keys claimed before this have no holder and are never taken over.
ALTER TABLE idempotency_key ADD COLUMN IF NOT EXISTS holder text;
ALTER TABLE idempotency_key ADD COLUMN IF NOT EXISTS job_id text;
ALTER TABLE idempotency_key ADD COLUMN IF NOT EXISTS job_cargo text;

CREATE TABLE IF NOT EXISTS idempotency_holder (
    holder      text        PRIMARY KEY,
    lease_until timestamptz NOT NULL
);
