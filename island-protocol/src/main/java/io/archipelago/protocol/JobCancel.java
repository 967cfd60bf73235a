package io.archipelago.protocol;

/** The coordinator took a job away from the Island (deadline passed, reassigned, failed): stop running it. */
public record JobCancel(int v, String jobId, String reason) implements Message {

    public JobCancel {
        Ids.id("a job id", jobId);
    }
}
