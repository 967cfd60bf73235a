package io.archipelago.protocol;

import org.jspecify.annotations.Nullable;

/** The Island's answer to a {@link JobOffer}: it runs the job, or refuses it and says why. */
public record JobAccepted(int v, String jobId, boolean accepted, @Nullable String reason) implements Message {

    public JobAccepted {
        Ids.id("a job id", jobId);
    }

    public static JobAccepted yes(String jobId) {
        return new JobAccepted(Codec.VERSION, jobId, true, null);
    }

    public static JobAccepted no(String jobId, String reason) {
        return new JobAccepted(Codec.VERSION, jobId, false, reason);
    }
}
