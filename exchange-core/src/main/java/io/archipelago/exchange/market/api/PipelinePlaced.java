package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.PricePerUnit;
import java.time.Instant;
import java.util.List;

/**
 * Every stage of a pipeline job was placed, each on its own Island, chosen for the shortest path of round trips
 * ({@code pathRttMicros}, see {@link PipelinePlan}); {@code pricePerUnit} is the sum of the stages' all-in prices,
 * at most the job's limit.
 */
public record PipelinePlaced(CargoType cargo, JobId jobId, AccountId consumer, List<PlacedStage> stages,
                             long pathRttMicros, PricePerUnit pricePerUnit, Instant at) {

    public PipelinePlaced {
        stages = List.copyOf(stages);
    }
}
