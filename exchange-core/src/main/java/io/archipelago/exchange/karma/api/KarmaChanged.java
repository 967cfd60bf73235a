package io.archipelago.exchange.karma.api;

import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.Karma;
import java.time.Instant;

/**
 * An Island's karma moved from {@code previous} to {@code current} for {@code reason}. {@code jobId} names the job
 * behind a job-related change and is null otherwise.
 */
public record KarmaChanged(IslandId islandId, Karma previous, Karma current, KarmaReason reason,
                           @org.jspecify.annotations.Nullable String jobId, Instant at) {
}
