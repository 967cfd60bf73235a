package io.archipelago.exchange.island.api;

import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import java.time.Instant;

/** The Islands as markets see them, inside the same unit of work as the market's own change. */
public interface Islands {

    /**
     * The Island's owner and current conditions for listing an ask on {@code cargo}'s market.
     *
     * @throws IllegalArgumentException when the Island is not registered or does not serve {@code cargo}
     */
    IslandListing listing(IslandId islandId, CargoType cargo);

    /** Records how a job ended in the Island's karma; the new karma reaches every market the Island serves. */
    void recordJobOutcome(IslandId islandId, JobId jobId, JobOutcome outcome, Instant at);
}
