package io.archipelago.coordinator.openai;

import io.archipelago.bridge.stream.StreamChunk;
import java.util.concurrent.CompletableFuture;

/**
 * What one batch item's job sends back, gathered into the result the batch keeps for the item. It may be subscribed
 * to the job's stream more than once (again after a resting bid outlived the desk's wait); chunks it already has
 * are skipped by their sequence number, so each chunk is taken once, in order.
 */
abstract class ItemOutput implements JobRelay {

    private long nextSeq;

    /** Completes with the item's result when its job completed, or exceptionally when its stream failed. */
    abstract CompletableFuture<String> finished();

    /** A chunk of the job this output has not taken yet. */
    abstract void take(StreamChunk chunk);

    @Override
    public final synchronized void onChunk(StreamChunk chunk) {
        if (chunk.seq() >= nextSeq) {
            nextSeq = chunk.seq() + 1;
            take(chunk);
        }
    }
}
