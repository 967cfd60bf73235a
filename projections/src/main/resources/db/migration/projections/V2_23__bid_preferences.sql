-- The bid preferences of each consumer account, as last set (BidPreferencesSet): what a request of the account falls
-- back to when it names a term itself, and the bounds it may only tighten. One row per account that ever set any; a
-- null column is no preference. The jurisdiction is stored resolved: its name and its countries in code order
-- (comma-separated), as the bid carries it. The OpenAI door reads one row per request by the primary key.
CREATE TABLE bid_preferences_view (
    account_id             VARCHAR(64) NOT NULL,
    limit_micro_credits    BIGINT,
    max_units              BIGINT,
    jurisdiction           VARCHAR(64),
    jurisdiction_countries VARCHAR(1024),
    min_karma              INT,
    max_rtt_micros         BIGINT,
    verified_only          BOOLEAN     NOT NULL,
    set_at                 TIMESTAMPTZ NOT NULL,
    last_sequence          BIGINT      NOT NULL,
    CONSTRAINT bid_preferences_view_pk PRIMARY KEY (account_id)
);
