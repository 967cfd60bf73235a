-- API keys of the OpenAI-compatible door: the key itself is shown once and never stored, only its SHA-256 and a
-- display prefix by which it is found. The hash is hex text: the schema's binary columns stay the ones Axon writes.
CREATE TABLE api_key (
    prefix     text PRIMARY KEY,
    sha256     text        NOT NULL,
    account_id text        NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX api_key_account ON api_key (account_id);
