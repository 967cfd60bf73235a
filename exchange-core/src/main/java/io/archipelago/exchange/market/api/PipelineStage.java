package io.archipelago.exchange.market.api;

/**
 * One stage of a Cargo that runs as a pipeline: the model's layers {@code [fromLayer, toLayer)} and the memory in
 * MiB an Island needs to hold them and run them.
 */
public record PipelineStage(int fromLayer, int toLayer, long memoryMib) {

    /** The most memory a stage may need, and an Island may report, in MiB: 4 TiB. */
    public static final long MAX_MEMORY_MIB = 4_194_304;

    public PipelineStage {
        if (fromLayer < 0 || toLayer <= fromLayer || toLayer > 10_000) {
            throw new IllegalArgumentException("a stage runs layers [from, to) with 0 <= from < to <= 10000, got ["
                    + fromLayer + ", " + toLayer + ")");
        }
        if (memoryMib < 0 || memoryMib > MAX_MEMORY_MIB) {
            throw new IllegalArgumentException("a stage needs 0-" + MAX_MEMORY_MIB + " MiB, got " + memoryMib);
        }
    }
}
