package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.IslandId;

/**
 * Stage {@code index} of a pipeline placed on an Island: its layers, and the measured round-trip time in
 * microseconds of the hop that feeds it (from the coordinator for the first stage, from the previous stage's Island
 * for the others).
 */
public record StagePlacement(int index, int fromLayer, int toLayer, IslandId islandId, long hopRttMicros) {
}
