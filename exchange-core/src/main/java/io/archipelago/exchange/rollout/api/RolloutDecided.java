package io.archipelago.exchange.rollout.api;

import io.archipelago.exchange.ids.CargoType;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The rollout's test decided: {@code verdict} ({@code PROMOTE}: {@code variant} takes all the traffic and the rollout
 * ends; {@code ROLL_BACK}: its traffic goes to the others), with the statistics it decided on (the difference of
 * the means, its variance, the mixture likelihood ratio, the always-valid p-value), the reason in words, the counts of
 * observations per variant, and the weights from now on. In a rollout across the versions of one Cargo type,
 * {@code version} names the variant decided on (null otherwise, and in events stored before versions could be
 * split); the market then runs the promoted version, or the incumbent after a rollback, for the whole type.
 */
public record RolloutDecided(RolloutId rollout, String verdict, CargoType variant, double difference,
                             double variance, double likelihoodRatio, double pValue, String reason,
                             List<Long> observations, List<VariantWeight> weights, boolean ended, Instant at,
                             @Nullable String version) {

    public RolloutDecided {
        observations = List.copyOf(observations);
        weights = List.copyOf(weights);
    }

    /** A decision on a variant that is a whole Cargo type. */
    public RolloutDecided(RolloutId rollout, String verdict, CargoType variant, double difference, double variance,
                          double likelihoodRatio, double pValue, String reason, List<Long> observations,
                          List<VariantWeight> weights, boolean ended, Instant at) {
        this(rollout, verdict, variant, difference, variance, likelihoodRatio, pValue, reason, observations, weights,
                ended, at, null);
    }

    /** Whether this decision is on a version of a Cargo type rather than on a whole Cargo type. */
    public boolean onVersion() {
        return version != null;
    }
}
