-- A placed job can be taken back from its Island (JobReassigned) and rest in the book again, so the market
-- projection keeps every open bid with its limit; resting says whether the bid is in the book now.
ALTER TABLE market_resting_bid ADD COLUMN resting BOOLEAN NOT NULL DEFAULT TRUE;
DROP INDEX market_resting_bid_limit_ix;
CREATE INDEX market_resting_bid_limit_ix ON market_resting_bid (cargo, limit_micro_credits DESC) WHERE resting;
