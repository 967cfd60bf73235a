-- Answers served from the inference cache (CacheHitRecorded), per account and tier: how many, and the credits they
-- saved (what each source job cost). Misses and bypasses are counted by the cache itself (inference_cache_lookup).
CREATE TABLE cache_hit_view (
    account_id          VARCHAR(64) NOT NULL,
    tier                VARCHAR(16) NOT NULL,
    hits                BIGINT      NOT NULL,
    saved_micro_credits BIGINT      NOT NULL,
    last_hit_at         TIMESTAMPTZ NOT NULL,
    CONSTRAINT cache_hit_view_pk PRIMARY KEY (account_id, tier)
);
