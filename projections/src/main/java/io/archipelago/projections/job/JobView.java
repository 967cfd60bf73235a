package io.archipelago.projections.job;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A job as the read model knows it. Money in micro-credits; prices per unit. The bid's terms ({@code limit},
 * {@code maxUnits}, {@code escrow}, {@code jurisdiction}) are absent for a rejected bid; the placement's
 * ({@code islandId}, {@code host}, the price split and {@code rttMicros}) until it is placed; {@code units},
 * {@code charged} until it completes. {@code released} is what went back to the consumer at its end.
 * {@code detail} says why it was rejected or failed.
 */
public record JobView(String jobId, String cargo, String consumer, JobStatus status,
                      @Nullable Long limitMicroCredits, @Nullable Long maxUnits, @Nullable Long escrowMicroCredits,
                      @Nullable String jurisdiction, @Nullable String islandId, @Nullable String host,
                      @Nullable Long askMicroCredits, @Nullable Long royaltyMicroCredits,
                      @Nullable Long feeMicroCredits, @Nullable Long priceMicroCredits, @Nullable Long rttMicros,
                      @Nullable Long ttftMicros, @Nullable Long units, @Nullable Long chargedMicroCredits,
                      @Nullable Long releasedMicroCredits, @Nullable String rejectionReason, @Nullable String detail,
                      Instant submittedAt, @Nullable Instant expiresAt, @Nullable Instant placedAt,
                      @Nullable Instant startedAt, @Nullable Instant finishedAt, Instant updatedAt) {
}
