package io.archipelago.exchange.market.api;

import java.util.List;

/**
 * How a Cargo runs as a pipeline: 2 to {@link #MAX_STAGES} stages whose layer ranges follow one another from layer 0,
 * each on its own Island.
 */
public record PipelineShape(List<PipelineStage> stages) {

    /** The most stages a pipeline has. */
    public static final int MAX_STAGES = 8;

    public PipelineShape {
        stages = List.copyOf(stages);
        if (stages.size() < 2 || stages.size() > MAX_STAGES) {
            throw new IllegalArgumentException("a pipeline has 2 to " + MAX_STAGES + " stages, got "
                    + stages.size());
        }
        int next = 0;
        for (PipelineStage stage : stages) {
            if (stage.fromLayer() != next) {
                throw new IllegalArgumentException("stage layers follow one another from layer 0: expected a stage"
                        + " from layer " + next + ", got " + stage);
            }
            next = stage.toLayer();
        }
    }
}
