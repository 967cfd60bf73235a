package io.archipelago.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/**
 * The coordinator hands a placed job to its Island: the Cargo type to run, the input (an OpenAI-style request body
 * such as {@code {"messages": [...]}} or {@code {"input": "..."}}), the most units the consumer pays for and the
 * deadline by which the final message must have arrived, in epoch milliseconds. The Island answers with
 * {@link JobAccepted}, then streams {@link JobOutput} messages on {@link Subjects#results}.
 *
 * @param version the Cargo version the market assigned the job, with what an Island needs to verify it again before
 *                it runs: absent (null) for a job on an unversioned Cargo type, and from coordinators older than the
 *                field; agents older than the field ignore it
 * @param stage   for a pipeline job, which stage this Island runs and where its activations come from and go; null
 *                for a job one Island runs whole
 */
public record JobOffer(int v, String jobId, String cargo, JsonNode input, long maxUnits, long deadlineEpochMillis,
                       @Nullable OfferedVersion version, @Nullable StageOffer stage) implements Message {

    public JobOffer {
        Ids.id("a job id", jobId);
        Ids.cargo(cargo);
        if (input == null || !input.isObject()) {
            throw new IllegalArgumentException("a job's input is a JSON object");
        }
        if (maxUnits < 1) {
            throw new IllegalArgumentException("a job pays for at least one unit, got " + maxUnits);
        }
    }

    /** An offer of a job on an unversioned Cargo type. */
    public JobOffer(int v, String jobId, String cargo, JsonNode input, long maxUnits, long deadlineEpochMillis) {
        this(v, jobId, cargo, input, maxUnits, deadlineEpochMillis, null, null);
    }

    /** An offer of a job one Island runs whole. */
    public JobOffer(int v, String jobId, String cargo, JsonNode input, long maxUnits, long deadlineEpochMillis,
                    @Nullable OfferedVersion version) {
        this(v, jobId, cargo, input, maxUnits, deadlineEpochMillis, version, null);
    }
}
