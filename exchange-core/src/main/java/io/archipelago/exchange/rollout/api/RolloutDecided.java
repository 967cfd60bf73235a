package io.archipelago.exchange.rollout.api;

import io.archipelago.exchange.ids.CargoType;
import java.time.Instant;
import java.util.List;

/**
 * The rollout's test decided: {@code verdict} ({@code PROMOTE}: {@code variant} takes all the traffic and the rollout
 * ends; {@code ROLL_BACK}: its traffic goes to the others), with the statistics it decided on (the difference of
 * the means, its variance, the mixture likelihood ratio, the always-valid p-value), the reason in words, the counts of
 * observations per variant, and the weights from now on.
 */
public record RolloutDecided(RolloutId rollout, String verdict, CargoType variant, double difference,
                             double variance, double likelihoodRatio, double pValue, String reason,
                             List<Long> observations, List<VariantWeight> weights, boolean ended, Instant at) {

    public RolloutDecided {
        observations = List.copyOf(observations);
        weights = List.copyOf(weights);
    }
}
