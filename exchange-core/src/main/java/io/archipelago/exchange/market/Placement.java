package io.archipelago.exchange.market;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.pricing.UnitPrice;
import java.time.Instant;

/** A job running on an Island at the price it was placed at, holding one of the Island's slots. */
record Placement(JobId jobId, AccountId consumer, IslandId islandId, AccountId host, UnitPrice price, long maxUnits,
                 MicroCredits escrow, long rttMicros, long ttftMicros, Instant placedAt) {

    Placement started(long ttft) {
        return new Placement(jobId, consumer, islandId, host, price, maxUnits, escrow, rttMicros, ttft, placedAt);
    }

    boolean hasStarted() {
        return ttftMicros >= 0;
    }
}
