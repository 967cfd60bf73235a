-- Read models for analysts and dashboards, built by the "projections" processor beside the first ones and rebuilt
-- with them. Each row remembers the sequence number of the last event of its aggregate it applied (last_sequence)
-- wherever an event changes it by an amount, so an event delivered twice changes nothing. Money in micro-credits
-- per unit, times in UTC.

-- OHLCV candles of a market's trade prices (the Island's ask per unit of each completed job), per resolution
-- ('1m', '1h', '1d') and bucket start. open is the first trade of the bucket, close the last.
CREATE TABLE market_candle (
    cargo         VARCHAR(96) NOT NULL,
    resolution    VARCHAR(4)  NOT NULL,
    bucket_start  TIMESTAMPTZ NOT NULL,
    open_price    BIGINT      NOT NULL,
    high_price    BIGINT      NOT NULL,
    low_price     BIGINT      NOT NULL,
    close_price   BIGINT      NOT NULL,
    volume_units  BIGINT      NOT NULL,
    trades        BIGINT      NOT NULL,
    last_sequence BIGINT      NOT NULL,
    CONSTRAINT market_candle_pk PRIMARY KEY (cargo, resolution, bucket_start),
    CONSTRAINT market_candle_resolution_ck CHECK (resolution IN ('1m', '1h', '1d'))
);

-- What each Cargo type was used for, per day: jobs, units and where the consumers' money went (host earnings, the
-- publisher's royalty, the platform fee).
CREATE TABLE cargo_usage (
    cargo                  VARCHAR(96) NOT NULL,
    publisher              VARCHAR(64) NOT NULL,
    day                    DATE        NOT NULL,
    jobs                   BIGINT      NOT NULL,
    units                  BIGINT      NOT NULL,
    charged_micro_credits  BIGINT      NOT NULL,
    host_micro_credits     BIGINT      NOT NULL,
    royalty_micro_credits  BIGINT      NOT NULL,
    fee_micro_credits      BIGINT      NOT NULL,
    last_sequence          BIGINT      NOT NULL,
    CONSTRAINT cargo_usage_pk PRIMARY KEY (cargo, day)
);
CREATE INDEX cargo_usage_publisher_ix ON cargo_usage (publisher, day);

-- One row per Island: where it runs (its jurisdiction), what it serves, its standing now. uptime_millis adds up
-- the closed online periods; online_since opens the current one.
CREATE TABLE island_view (
    island_id       VARCHAR(64)  NOT NULL,
    owner           VARCHAR(64)  NOT NULL,
    country         CHAR(2)      NOT NULL,
    cargo_types     TEXT         NOT NULL,
    slots           INT          NOT NULL,
    verified        BOOLEAN      NOT NULL,
    online          BOOLEAN      NOT NULL,
    online_since    TIMESTAMPTZ,
    uptime_millis   BIGINT       NOT NULL,
    karma           INT          NOT NULL,
    rtt_micros      BIGINT,
    registered_at   TIMESTAMPTZ  NOT NULL,
    updated_at      TIMESTAMPTZ  NOT NULL,
    last_sequence   BIGINT       NOT NULL,
    CONSTRAINT island_view_pk PRIMARY KEY (island_id)
);
CREATE INDEX island_view_karma_ix ON island_view (karma DESC, island_id);

-- Every karma change of every Island, with its reason; the Island's event sequence number keys it.
CREATE TABLE karma_history (
    island_id   VARCHAR(64) NOT NULL,
    sequence    BIGINT      NOT NULL,
    previous    INT         NOT NULL,
    current     INT         NOT NULL,
    reason      VARCHAR(32) NOT NULL,
    job_id      VARCHAR(64),
    at          TIMESTAMPTZ NOT NULL,
    CONSTRAINT karma_history_pk PRIMARY KEY (island_id, sequence)
);
CREATE INDEX karma_history_at_ix ON karma_history (island_id, at);

-- Every payout from its request to its end: REQUESTED, PAID, FAILED (never left) or REVERSED (came back).
CREATE TABLE payout_view (
    account_id     VARCHAR(64)  NOT NULL,
    payout_id      VARCHAR(128) NOT NULL,
    amount_micro_credits BIGINT NOT NULL,
    status         VARCHAR(16)  NOT NULL,
    reason         TEXT,
    requested_at   TIMESTAMPTZ  NOT NULL,
    paid_at        TIMESTAMPTZ,
    failed_at      TIMESTAMPTZ,
    last_sequence  BIGINT       NOT NULL,
    CONSTRAINT payout_view_pk PRIMARY KEY (account_id, payout_id),
    CONSTRAINT payout_view_status_ck CHECK (status IN ('REQUESTED', 'PAID', 'FAILED', 'REVERSED'))
);
CREATE INDEX payout_view_requested_ix ON payout_view (requested_at);
