package io.archipelago.exchange.market.api;

import java.util.List;

/**
 * Where each stage of a pipeline runs, and the path's round-trip time in microseconds: the coordinator to the first
 * stage, each hop between stages, and the last stage back (the sum of their round trips; half of it is the one-way
 * latency activations add along the path).
 */
public record PipelinePlan(List<StagePlacement> stages, long pathRttMicros) {

    public PipelinePlan {
        stages = List.copyOf(stages);
    }
}
