-- Every market rate cleared, in order: the rate (null when the window had no trades), volume and trades of its
-- window, best bid and ask, and depth, at the moment it was cleared. The dashboards draw the rate over time from it.
CREATE TABLE market_rate (
    cargo              text        NOT NULL,
    cleared_at         timestamptz NOT NULL,
    rate_micro_credits bigint,
    volume_units       bigint      NOT NULL,
    trades             integer     NOT NULL,
    best_bid           bigint,
    best_ask           bigint,
    bid_depth          integer     NOT NULL,
    ask_depth          integer     NOT NULL,
    CONSTRAINT market_rate_pk PRIMARY KEY (cargo, cleared_at)
);
