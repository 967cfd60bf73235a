package io.archipelago.exchange.island;

import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.island.api.IslandListing;
import io.archipelago.exchange.island.api.Islands;
import io.archipelago.exchange.island.api.JobOutcome;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.Markets;
import java.time.Instant;
import java.util.function.Supplier;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;

/** {@link Islands} over the Island aggregates, loaded in the caller's unit of work. */
public final class RepositoryIslands implements Islands {

    private final Supplier<Repository<Island>> islands;
    private final Markets markets;

    public RepositoryIslands(Supplier<Repository<Island>> islands, Markets markets) {
        this.islands = islands;
        this.markets = markets;
    }

    @Override
    public IslandListing listing(IslandId islandId, CargoType cargo) {
        try {
            return islands.get().load(islandId.value()).invoke(island -> island.listing(cargo));
        } catch (AggregateNotFoundException unknown) {
            throw new IllegalArgumentException("island " + islandId + " is not registered");
        }
    }

    @Override
    public void recordJobOutcome(IslandId islandId, JobId jobId, JobOutcome outcome, Instant at) {
        islands.get().load(islandId.value()).execute(island -> island.recordJobOutcome(jobId, outcome, at, markets));
    }
}
