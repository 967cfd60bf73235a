package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.island.api.IslandConditions;
import io.archipelago.exchange.ids.IslandId;
import java.time.Instant;

/** The markets as Islands see them, inside the same unit of work as the Island's own change. */
public interface Markets {

    /**
     * Tells {@code cargo}'s market an Island's conditions changed. Does nothing when that market is not open or the
     * Island has no ask on it. A market may place resting bids on the Island as a result.
     */
    void updateConditions(CargoType cargo, IslandId islandId, IslandConditions conditions, Instant at);
}
