package io.archipelago.projections.island;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** One change of an Island's karma, from {@code previous} to {@code current}, with its reason and job if any. */
public record KarmaChange(String islandId, long sequence, int previous, int current, String reason,
                          @Nullable String jobId, Instant at) {
}
