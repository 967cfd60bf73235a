package io.archipelago.exchange.market.api;

/**
 * One stage of a Cargo that runs as a pipeline: the model's layers {@code [fromLayer, toLayer)} and the memory in
 * MiB an Island needs to hold them and run them.
 */
public record PipelineStage(int fromLayer, int toLayer, long memoryMib) {

    public PipelineStage {
        if (fromLayer < 0 || toLayer <= fromLayer || toLayer > 10_000) {
            throw new IllegalArgumentException("a stage runs layers [from, to) with 0 <= from < to <= 10000, got ["
                    + fromLayer + ", " + toLayer + ")");
        }
        if (memoryMib < 0 || memoryMib > 4_194_304) {
            throw new IllegalArgumentException("a stage needs 0-4194304 MiB, got " + memoryMib);
        }
    }
}
