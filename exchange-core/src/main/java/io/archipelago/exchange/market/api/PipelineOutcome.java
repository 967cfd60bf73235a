package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.JobId;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@link PlacePipeline} did: the stages placed, or none and why ({@code refusal}, as
 * {@link PipelineUnplaceable#detail()} says it).
 */
public record PipelineOutcome(JobId jobId, List<PlacedStage> stages, @Nullable String refusal) {

    public PipelineOutcome {
        stages = List.copyOf(stages);
    }

    public boolean placed() {
        return refusal == null;
    }
}
