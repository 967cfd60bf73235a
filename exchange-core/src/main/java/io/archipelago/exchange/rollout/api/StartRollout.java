package io.archipelago.exchange.rollout.api;

import java.time.Instant;
import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Starts splitting the traffic of model name {@code rollout} across {@code variants} by weight; the first is the
 * incumbent the others are compared with. The variants are all whole Cargo types, or all versions of the Cargo type
 * {@code rollout} names. The policy's parameters are those of
 * {@code io.archipelago.exchange.rollout.RolloutPolicy}.
 */
public record StartRollout(@TargetAggregateIdentifier RolloutId rollout, List<VariantWeight> variants,
                           RolloutMetric metric, double alpha, double rollbackAlpha, double tau,
                           long minimumPerVariant, Instant at) {

    public StartRollout {
        variants = List.copyOf(variants);
    }
}
