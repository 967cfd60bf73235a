package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;
import java.util.List;

/**
 * A pipeline job completed and settled stage by stage: each of {@code stages} charged {@code units} at its own price
 * and paid its Island's host, the publisher {@code royaltyTo} and the platform; {@code charged} is the sum of the
 * stages' charges and {@code released} what went back of the escrow.
 */
public record PipelineCompleted(CargoType cargo, JobId jobId, AccountId consumer, AccountId royaltyTo, long units,
                                List<StageSettlement> stages, MicroCredits charged, MicroCredits released,
                                Instant at) {

    public PipelineCompleted {
        stages = List.copyOf(stages);
    }
}
