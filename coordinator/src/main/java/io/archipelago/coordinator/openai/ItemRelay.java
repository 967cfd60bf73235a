package io.archipelago.coordinator.openai;

import io.archipelago.bridge.stream.StreamChunk;
import java.util.concurrent.CompletableFuture;

/** The output of one chat item's job, gathered into its whole text. */
final class ItemRelay extends ItemOutput {

    private final StringBuilder text = new StringBuilder();
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<String> finished = new CompletableFuture<>();

    @Override
    public CompletableFuture<Void> started() {
        return started;
    }

    @Override
    CompletableFuture<String> finished() {
        return finished;
    }

    @Override
    void take(StreamChunk chunk) {
        text.append(chunk.text());
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
