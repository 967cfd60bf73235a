-- Indexes for the query API's reads that had none (QueryPlansTest shows each plan on a filled database): a host's
-- asks and Islands, the ask side of the order book, the leaderboard of one country and usage over days without a
-- Cargo type or publisher.
CREATE INDEX market_ask_island_ix ON market_ask (island_id);
CREATE INDEX market_ask_online_price_ix ON market_ask (cargo, price_micro_credits) WHERE online;
CREATE INDEX island_view_owner_ix ON island_view (owner, island_id);
CREATE INDEX island_view_country_karma_ix ON island_view (country, karma DESC, island_id);
CREATE INDEX cargo_usage_day_ix ON cargo_usage (day, cargo);
