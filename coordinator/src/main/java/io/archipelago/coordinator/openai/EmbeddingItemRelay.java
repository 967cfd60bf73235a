package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.bridge.stream.StreamChunk;
import java.util.concurrent.CompletableFuture;

/**
 * The output of one embeddings item of a batch: its vectors checked and gathered by an {@link EmbeddingRelay}, as
 * {@code /v1/embeddings} gathers them, into OpenAI's embeddings response, kept as the item's result. It may be
 * subscribed to the job's stream more than once; chunks it already has are skipped by their sequence number.
 */
final class EmbeddingItemRelay implements ItemOutput {

    private final EmbeddingRelay vectors;
    private final CompletableFuture<String> finished;
    private long nextSeq;

    EmbeddingItemRelay(EmbeddingRelay vectors) {
        this.vectors = vectors;
        this.finished = vectors.finished().thenApply(ObjectNode::toString);
    }

    @Override
    public CompletableFuture<Void> started() {
        return vectors.started();
    }

    @Override
    public CompletableFuture<String> finished() {
        return finished;
    }

    @Override
    public synchronized void onChunk(StreamChunk chunk) {
        if (chunk.seq() >= nextSeq) {
            nextSeq = chunk.seq() + 1;
            vectors.onChunk(chunk);
        }
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
