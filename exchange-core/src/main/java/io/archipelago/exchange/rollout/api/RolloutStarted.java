package io.archipelago.exchange.rollout.api;

import java.time.Instant;
import java.util.List;

/** A rollout began: {@code variants} by weight, the first the incumbent, decided on {@code metric}. */
public record RolloutStarted(RolloutId rollout, List<VariantWeight> variants, RolloutMetric metric, double alpha,
                             double rollbackAlpha, double tau, long minimumPerVariant, Instant at) {

    public RolloutStarted {
        variants = List.copyOf(variants);
    }
}
