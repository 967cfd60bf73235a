-- Read models of the first HTTP surface: jobs, account balances and markets. Built by the "projections" event
-- processor from the event store; nothing else writes them, and all of them can be rebuilt by replaying the events.
-- Every row remembers the sequence number of the last event of its aggregate it applied (last_sequence), so an
-- event delivered twice is recognised and changes nothing. Money is in micro-credits, times in UTC.

-- One row per job, from the bid that asked for it to its end. A job id is unique within its market.
CREATE TABLE job_view (
    cargo                  VARCHAR(96) NOT NULL,
    job_id                 VARCHAR(64) NOT NULL,
    consumer               VARCHAR(64) NOT NULL,
    status                 VARCHAR(16) NOT NULL,
    limit_micro_credits    BIGINT,
    max_units              BIGINT,
    escrow_micro_credits   BIGINT,
    jurisdiction           VARCHAR(64),
    island_id              VARCHAR(64),
    host                   VARCHAR(64),
    ask_micro_credits      BIGINT,
    royalty_micro_credits  BIGINT,
    fee_micro_credits      BIGINT,
    rtt_micros             BIGINT,
    ttft_micros            BIGINT,
    units                  BIGINT,
    charged_micro_credits  BIGINT,
    released_micro_credits BIGINT,
    rejection_reason       VARCHAR(48),
    detail                 TEXT,
    submitted_at           TIMESTAMPTZ NOT NULL,
    expires_at             TIMESTAMPTZ,
    placed_at              TIMESTAMPTZ,
    started_at             TIMESTAMPTZ,
    finished_at            TIMESTAMPTZ,
    updated_at             TIMESTAMPTZ NOT NULL,
    last_sequence          BIGINT      NOT NULL,
    CONSTRAINT job_view_pk PRIMARY KEY (cargo, job_id),
    CONSTRAINT job_view_status_ck CHECK (status IN ('RESTING', 'PLACED', 'STARTED', 'COMPLETED', 'FAILED',
                                                    'EXPIRED', 'REJECTED'))
);
CREATE INDEX job_view_job_id_ix ON job_view (job_id);

-- One row per account: what it may spend, what is held for its running jobs, what it earned, what is being paid out.
CREATE TABLE account_balance_view (
    account_id                     VARCHAR(64) NOT NULL,
    country                        CHAR(2),
    available_micro_credits        BIGINT      NOT NULL,
    escrow_micro_credits           BIGINT      NOT NULL,
    earnings_micro_credits         BIGINT      NOT NULL,
    payouts_in_flight_micro_credits BIGINT     NOT NULL,
    opened_at                      TIMESTAMPTZ NOT NULL,
    updated_at                     TIMESTAMPTZ NOT NULL,
    last_sequence                  BIGINT      NOT NULL,
    CONSTRAINT account_balance_view_pk PRIMARY KEY (account_id)
);

-- One row per market. Best ask is the lowest price among online asks, best bid the highest limit among resting bids;
-- last rate is the last market rate cleared from trades, volume and trades count every completed job.
CREATE TABLE market_view (
    cargo                  VARCHAR(96) NOT NULL,
    unit                   VARCHAR(16) NOT NULL,
    publisher              VARCHAR(64) NOT NULL,
    royalty_micro_credits  BIGINT      NOT NULL,
    asks                   INT         NOT NULL,
    online_asks            INT         NOT NULL,
    best_ask_micro_credits BIGINT,
    resting_bids           BIGINT      NOT NULL,
    best_bid_micro_credits BIGINT,
    last_rate_micro_credits BIGINT,
    rate_cleared_at        TIMESTAMPTZ,
    volume_units           BIGINT      NOT NULL,
    trades                 BIGINT      NOT NULL,
    opened_at              TIMESTAMPTZ NOT NULL,
    updated_at             TIMESTAMPTZ NOT NULL,
    last_sequence          BIGINT      NOT NULL,
    CONSTRAINT market_view_pk PRIMARY KEY (cargo)
);

-- The market projection's own working tables: the asks and resting bids its counts and best prices come from.
CREATE TABLE market_ask (
    cargo               VARCHAR(96) NOT NULL,
    island_id           VARCHAR(64) NOT NULL,
    price_micro_credits BIGINT      NOT NULL,
    online              BOOLEAN     NOT NULL,
    CONSTRAINT market_ask_pk PRIMARY KEY (cargo, island_id)
);

CREATE TABLE market_resting_bid (
    cargo               VARCHAR(96) NOT NULL,
    job_id              VARCHAR(64) NOT NULL,
    limit_micro_credits BIGINT      NOT NULL,
    CONSTRAINT market_resting_bid_pk PRIMARY KEY (cargo, job_id)
);
CREATE INDEX market_resting_bid_limit_ix ON market_resting_bid (cargo, limit_micro_credits DESC);
