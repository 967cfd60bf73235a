package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import java.time.Instant;

/**
 * A job was taken back from {@code islandId} before it streamed anything, for {@code reason}: its slot there is
 * free, its bid rests again with its escrow and its place in the queue, and it will never be placed on that Island
 * again. A {@link JobPlaced} follows when another Island takes it.
 */
public record JobReassigned(CargoType cargo, JobId jobId, AccountId consumer, IslandId islandId, String reason,
                            Instant at) {
}
