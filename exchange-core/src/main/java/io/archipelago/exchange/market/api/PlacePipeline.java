package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.exchange.ids.Karma;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.jspecify.annotations.Nullable;

/**
 * Places a job of a pipeline Cargo on one Island per stage, all together or not at all. {@code limit} is what the
 * consumer pays per unit for the whole pipeline, {@code maxUnits} the most units it pays for (the escrow is their
 * product); {@code memoryMib} is the memory each Island reports it can give a
 * stage and {@code rtts} the round trips measured between Islands, both brought by the caller because the market
 * keeps neither. Every stage's Island meets the bid's hard constraints as a bid's Island does: {@code jurisdiction}
 * (null: the consumer's home region), at least {@code minKarma} (null: none), at most {@code maxRttMicros} to the
 * coordinator (null: no ceiling) and verified identity when {@code verifiedOnly}.
 */
public record PlacePipeline(@TargetAggregateIdentifier CargoType cargo, JobId jobId, AccountId consumer,
                            PricePerUnit limit, long maxUnits, @Nullable JurisdictionPolicy jurisdiction,
                            @Nullable Karma minKarma, @Nullable Long maxRttMicros, boolean verifiedOnly,
                            Map<IslandId, Long> memoryMib, List<IslandRtt> rtts, Instant at) {

    /** A pipeline job in the consumer's home region, with no other constraint than its price. */
    public PlacePipeline(CargoType cargo, JobId jobId, AccountId consumer, PricePerUnit limit, long maxUnits,
                         Map<IslandId, Long> memoryMib, List<IslandRtt> rtts, Instant at) {
        this(cargo, jobId, consumer, limit, maxUnits, null, null, null, false, memoryMib, rtts, at);
    }

    public PlacePipeline {
        if (maxUnits < 1 || maxUnits > SubmitBid.MAX_UNITS) {
            throw new IllegalArgumentException("a pipeline job pays for 1 to " + SubmitBid.MAX_UNITS + " units, got "
                    + maxUnits);
        }
        if (maxRttMicros != null && maxRttMicros <= 0) {
            throw new IllegalArgumentException("a round-trip ceiling is positive, got " + maxRttMicros);
        }
        memoryMib = Map.copyOf(memoryMib);
        rtts = List.copyOf(rtts);
    }
}
