package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.bridge.stream.StreamChunk;
import java.util.concurrent.CompletableFuture;

/**
 * The output of one embeddings item of a batch: its vectors checked and gathered by an {@link EmbeddingRelay}, as
 * {@code /v1/embeddings} gathers them, into OpenAI's embeddings response, kept as the item's result.
 */
final class EmbeddingItemRelay extends ItemOutput {

    private final EmbeddingRelay vectors;
    private final CompletableFuture<String> finished;

    EmbeddingItemRelay(EmbeddingRelay vectors) {
        this.vectors = vectors;
        this.finished = vectors.finished().thenApply(ObjectNode::toString);
    }

    @Override
    public CompletableFuture<Void> started() {
        return vectors.started();
    }

    @Override
    CompletableFuture<String> finished() {
        return finished;
    }

    @Override
    void take(StreamChunk chunk) {
        vectors.onChunk(chunk);
    }

    @Override
    public synchronized void onCompleted(long units) {
        vectors.onCompleted(units);
    }

    @Override
    public synchronized void onFailed(String reason) {
        vectors.onFailed(reason);
    }
}
