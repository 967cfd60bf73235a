package io.archipelago.exchange.market;

import io.archipelago.exchange.island.api.IslandConditions;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.Markets;
import java.time.Instant;
import java.util.function.Supplier;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;

/** {@link Markets} over the Market aggregates, loaded in the caller's unit of work. */
public final class RepositoryMarkets implements Markets {

    private final Supplier<Repository<Market>> markets;

    public RepositoryMarkets(Supplier<Repository<Market>> markets) {
        this.markets = markets;
    }

    @Override
    public void updateConditions(CargoType cargo, IslandId islandId, IslandConditions conditions, Instant at) {
        try {
            markets.get().load(cargo.value()).execute(market -> market.updateConditions(islandId, conditions, at));
        } catch (AggregateNotFoundException notOpen) {
            // a Cargo type whose market is not open yet has no asks to update
        }
    }
}
