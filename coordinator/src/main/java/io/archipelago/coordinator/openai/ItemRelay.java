package io.archipelago.coordinator.openai;

import io.archipelago.bridge.stream.StreamChunk;
import java.util.concurrent.CompletableFuture;

/**
 * The output of one batch item's job, gathered into its whole text. It may be subscribed to the job's stream more
 * than once (again after a resting bid outlived the desk's wait); chunks it already has are skipped by their
 * sequence number, so the text is each chunk once, in order.
 */
final class ItemRelay implements ItemOutput {

    private final StringBuilder text = new StringBuilder();
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<String> finished = new CompletableFuture<>();
    private long nextSeq;

    @Override
    public CompletableFuture<Void> started() {
        return started;
    }

    /** Completes with the job's whole output when it completed, or exceptionally when its stream failed. */
    @Override
    public CompletableFuture<String> finished() {
        return finished;
    }

    @Override
    public synchronized void onChunk(StreamChunk chunk) {
        if (chunk.seq() >= nextSeq) {
            nextSeq = chunk.seq() + 1;
            text.append(chunk.text());
        }
        started.complete(null);
    }

    @Override
    public synchronized void onCompleted(long units) {
        started.complete(null);
        finished.complete(text.toString());
    }

    @Override
    public synchronized void onFailed(String reason) {
        started.complete(null);
        finished.completeExceptionally(new IllegalStateException(reason));
    }
}
