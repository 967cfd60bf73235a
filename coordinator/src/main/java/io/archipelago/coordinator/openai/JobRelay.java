package io.archipelago.coordinator.openai;

import io.archipelago.bridge.stream.JobStreamListener;
import java.util.concurrent.CompletableFuture;

/** A job's output on its way to a consumer, which knows when the job started: its first chunk, end or failure. */
interface JobRelay extends JobStreamListener {

    /** Completes with the first event of the job. */
    CompletableFuture<Void> started();
}
