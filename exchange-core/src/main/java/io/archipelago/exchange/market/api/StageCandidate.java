package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.IslandId;

/**
 * An Island that may run a pipeline stage (its ask already eligible for the job): the memory in MiB it offers and
 * its measured round-trip time to the coordinator in microseconds.
 */
public record StageCandidate(IslandId islandId, long memoryMib, long rttMicros) {
}
