-- The analysts' stable interface: views over the read model tables whose names, columns and meanings stay put
-- while the tables under them change (docs/read-models.md documents every column). Money in micro-credits, prices
-- per unit of the market's Cargo type, times in UTC. A view only reads what the projections wrote: rebuilding the
-- read models rebuilds what the views show.

-- OHLCV candles of the trade prices (the Island's ask per unit of each trade), per resolution, with the bucket's end
-- and the unit a price is for.
CREATE VIEW analyst_candles AS
SELECT c.cargo,
       m.unit,
       c.resolution,
       c.bucket_start,
       c.bucket_start + CASE c.resolution
                            WHEN '1m' THEN INTERVAL '1 minute'
                            WHEN '1h' THEN INTERVAL '1 hour'
                            ELSE INTERVAL '1 day' END AS bucket_end,
       c.open_price  AS open_micro_credits,
       c.high_price  AS high_micro_credits,
       c.low_price   AS low_micro_credits,
       c.close_price AS close_micro_credits,
       c.volume_units,
       c.trades
FROM market_candle c
LEFT JOIN market_view m ON m.cargo = c.cargo;

-- The order book now, by side and price level: resting bids by their limit (highest first is the best), asks of
-- online Islands by their price (lowest first is the best). A placed job's bid is not in the book.
CREATE VIEW analyst_depth AS
SELECT cargo, 'BID' AS side, limit_micro_credits AS price_micro_credits, count(*) AS orders
FROM market_resting_bid
WHERE resting
GROUP BY cargo, limit_micro_credits
UNION ALL
SELECT cargo, 'ASK' AS side, price_micro_credits, count(*) AS orders
FROM market_ask
WHERE online
GROUP BY cargo, price_micro_credits;

-- Every market rate cleared, oldest first by cleared_at: the volume-weighted rate of the window's trades (null with
-- none), the window's volume, and the book at that moment with its spread.
CREATE VIEW analyst_rates AS
SELECT cargo,
       cleared_at,
       rate_micro_credits,
       volume_units,
       trades,
       best_bid AS best_bid_micro_credits,
       best_ask AS best_ask_micro_credits,
       best_ask - best_bid AS spread_micro_credits,
       bid_depth,
       ask_depth
FROM market_rate;

-- Volume per Cargo type and UTC day: jobs traded, units delivered, and where the consumers' money went
-- (charged = host + royalty + fee).
CREATE VIEW analyst_volume AS
SELECT cargo,
       publisher,
       day,
       jobs,
       units,
       charged_micro_credits,
       host_micro_credits,
       royalty_micro_credits,
       fee_micro_credits
FROM cargo_usage;

-- Every karma change of every Island, with the change itself and the Island's jurisdiction.
CREATE VIEW analyst_karma_history AS
SELECT k.island_id,
       i.country,
       k.sequence,
       k.at,
       k.previous,
       k.current,
       k.current - k.previous AS change,
       k.reason,
       k.job_id
FROM karma_history k
LEFT JOIN island_view i ON i.island_id = k.island_id;

-- Every payout from its request to its end, with when it ended (paid or failed) and how long that took.
CREATE VIEW analyst_payouts AS
SELECT account_id,
       payout_id,
       amount_micro_credits,
       status,
       reason,
       requested_at,
       paid_at,
       failed_at,
       COALESCE(paid_at, failed_at) AS ended_at,
       CAST(EXTRACT(EPOCH FROM COALESCE(paid_at, failed_at) - requested_at) * 1000 AS BIGINT) AS millis_to_end
FROM payout_view;
