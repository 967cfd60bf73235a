package io.archipelago.agent.pipeline;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The model an Island runs pipeline stages of (all-MiniLM-L6-v2), read once from the class path: each layer range
 * asked for is loaded on first use and kept, with only that range's weights, and the tokenizer the first stage uses.
 */
public final class PipelineModel implements AutoCloseable {

    private final Map<Integer, MiniLmStage> stages = new ConcurrentHashMap<>();
    private @Nullable byte[] model;
    private @Nullable MiniLmTokenizer tokenizer;

    /** Layers {@code [from, to)}, loaded now unless an earlier job loaded them. */
    public MiniLmStage stage(int from, int to) {
        return stages.computeIfAbsent(from * (MiniLmStage.LAYERS + 1) + to, key -> MiniLmStage.of(model(), from, to));
    }

    /** The model's own tokenizer. */
    public synchronized MiniLmTokenizer tokenizer() {
        if (tokenizer == null) {
            tokenizer = new MiniLmTokenizer();
        }
        return tokenizer;
    }

    private synchronized byte[] model() {
        if (model == null) {
            model = MiniLmStage.modelBytes();
        }
        return model;
    }

    @Override
    public synchronized void close() {
        if (tokenizer != null) {
            tokenizer.close();
        }
    }
}
