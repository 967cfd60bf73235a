package io.archipelago.exchange.rollout.api;

import io.archipelago.exchange.ids.CargoType;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One variant in a rollout: the Cargo type that serves it, its share of the traffic (a weight of 0 to 1,000), and,
 * when the rollout splits one Cargo type across its versions, the {@code version} its jobs are pinned to (null for a
 * rollout across Cargo types, and in events stored before versions could be split).
 */
public record VariantWeight(CargoType cargo, int weight, @Nullable String version) {

    public VariantWeight {
        Objects.requireNonNull(cargo, "cargo");
        if (weight < 0 || weight > 1_000) {
            throw new IllegalArgumentException("a variant's weight is 0 to 1000, got " + weight);
        }
    }

    /** A variant that is a whole Cargo type. */
    public VariantWeight(CargoType cargo, int weight) {
        this(cargo, weight, null);
    }

    /** The variant's name within its rollout: its version, or its Cargo type when it is one. */
    public String label() {
        return version != null ? version : cargo.value();
    }

    /** The same variant with another weight. */
    public VariantWeight withWeight(int next) {
        return new VariantWeight(cargo, next, version);
    }
}
