-- The inference cache: answers of completed jobs, kept per account under the SHA-256 of the normalized request
-- (Cargo type and its registration, messages, and the parameters that change the output). The answer is the job's
-- text chunks as a JSON array of strings, in order, so a hit streams the same pieces; prompt_text is the request's
-- text (one line per message), scope_key the hash of the request without its messages, and embedding the prompt's
-- all-MiniLM-L6-v2 vector (384 little-endian float32) when the request opted into the semantic tier, from which each
-- node rebuilds its nearest-neighbour index. charged_micro_credits is what the source job cost, filled from the job read
-- model when known. Rows past archipelago.cache.ttl, and the oldest beyond the count and size limits, are deleted by
-- the sweep; a consumer deletes its own rows on request.
CREATE TABLE inference_cache (
    id                    bigserial   PRIMARY KEY,
    account_id            text        NOT NULL,
    request_key           text        NOT NULL,
    scope_key             text        NOT NULL,
    cargo                 text        NOT NULL,
    chunks                text        NOT NULL,
    prompt_text           text        NOT NULL,
    embedding             bytea,
    prompt_tokens         bigint      NOT NULL,
    completion_tokens     bigint      NOT NULL,
    units                 bigint      NOT NULL,
    job_id                text        NOT NULL,
    charged_micro_credits bigint,
    size_bytes            integer     NOT NULL,
    created_at            timestamptz NOT NULL,
    CONSTRAINT inference_cache_request UNIQUE (account_id, request_key)
);
CREATE INDEX inference_cache_created_at ON inference_cache (created_at);
CREATE INDEX inference_cache_cargo ON inference_cache (cargo);

-- Requests the cache looked up and could not answer (misses) or was told to stay out of (bypasses), per account and
-- tier: the hits themselves are events (CacheHitRecorded) and counted by the read side.
CREATE TABLE inference_cache_lookup (
    account_id text   NOT NULL,
    outcome    text   NOT NULL,
    lookups    bigint NOT NULL,
    CONSTRAINT inference_cache_lookup_pk PRIMARY KEY (account_id, outcome)
);

-- What an account asks of the cache for requests that do not say: whether sampled requests (temperature above 0,
-- no seed) are cached too, and whether near-duplicates answer its requests (the semantic tier).
CREATE TABLE inference_cache_preference (
    account_id text        PRIMARY KEY,
    sampled    boolean     NOT NULL,
    semantic   boolean     NOT NULL,
    updated_at timestamptz NOT NULL
);
