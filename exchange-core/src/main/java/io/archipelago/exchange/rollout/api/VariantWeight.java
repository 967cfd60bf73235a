package io.archipelago.exchange.rollout.api;

import io.archipelago.exchange.ids.CargoType;
import java.util.Objects;

/** One version in a rollout: the Cargo type that serves it and its share of the traffic, a weight of 0 to 1,000. */
public record VariantWeight(CargoType cargo, int weight) {

    public VariantWeight {
        Objects.requireNonNull(cargo, "cargo");
        if (weight < 0 || weight > 1_000) {
            throw new IllegalArgumentException("a variant's weight is 0 to 1000, got " + weight);
        }
    }
}
