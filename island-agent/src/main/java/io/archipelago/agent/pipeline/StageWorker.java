package io.archipelago.agent.pipeline;

import io.archipelago.protocol.Codec;
import io.archipelago.protocol.Payload;
import io.archipelago.protocol.Payloads;
import io.archipelago.protocol.Subjects;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Island's part of a pipeline job: it hears its stage's subject, runs its layers on what arrives and sends the
 * result on. Stage 0 takes a text payload and tokenizes it; a middle stage takes and sends tensor payloads (the
 * activations, float32 [tokens, 384]); the last stage sends the pooled sentence embedding as an embedding payload to
 * the job's result subject. The header {@link #INDEX} says which of the job's texts a message carries.
 */
public final class StageWorker implements AutoCloseable {

    /** The NATS header naming which input of the job (0-based) a message belongs to. */
    public static final String INDEX = "Archipelago-Index";
    /**
     * The most tokens a text may have in a pipeline: its activations travel in one message of at most
     * {@link Codec#MAX_BYTES}, 2,048 Base64 characters a token.
     */
    public static final int MAX_TOKENS = 120;

    private static final Logger LOG = LoggerFactory.getLogger(StageWorker.class);

    private final Connection nats;
    private final MiniLmStage stage;
    private final @Nullable MiniLmTokenizer tokenizer;
    private final String next;
    private final Dispatcher dispatcher;
    private final Consumer<String> failures;

    /**
     * Serves stage {@code index} of {@code jobId} until closed, sending each result to {@code next}: the following
     * stage's subject ({@link Subjects#stage}) or, for the last stage, the job's result subject. A message it cannot
     * run is reported to {@code failures} and dropped.
     */
    public StageWorker(Connection nats, MiniLmStage stage, @Nullable MiniLmTokenizer tokenizer, String jobId,
                       int index, String next, Consumer<String> failures) {
        if (stage.first() && tokenizer == null) {
            throw new IllegalArgumentException("the first stage tokenizes its texts: it needs the tokenizer");
        }
        this.nats = nats;
        this.stage = stage;
        this.tokenizer = tokenizer;
        this.next = next;
        this.failures = failures;
        this.dispatcher = nats.createDispatcher(this::handle);
        dispatcher.subscribe(Subjects.stage(jobId, index));
    }

    private void handle(Message message) {
        try {
            Payload payload = Codec.json().readValue(message.getData(), Payload.class);
            Activations output = stage.forward(input(payload));
            Headers headers = new Headers();
            String index = message.getHeaders() == null ? null : message.getHeaders().getFirst(INDEX);
            headers.put(INDEX, index == null ? "0" : index);
            Payload result = stage.last()
                    ? Payloads.Embedding.of(index == null ? 0 : Integer.parseInt(index), MiniLmStage.pool(output))
                    : output.toTensor();
            nats.publish(next, headers, Codec.json().writeValueAsBytes(result));
        } catch (IOException | RuntimeException e) {
            LOG.warn("stage [{}, {}) could not run a message on {}: {}", stage.from(), stage.to(),
                    message.getSubject(), e.toString());
            failures.accept(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private Activations input(Payload payload) {
        if (stage.first()) {
            if (!(payload instanceof Payloads.TextDelta text) || tokenizer == null) {
                throw new IllegalArgumentException("the first stage takes a text payload");
            }
            int[] ids = tokenizer.ids(text.delta());
            if (ids.length > MAX_TOKENS) {
                throw new IllegalArgumentException("a text in a pipeline has at most " + MAX_TOKENS
                        + " tokens, this one " + ids.length);
            }
            return stage.embed(ids);
        }
        if (!(payload instanceof Payloads.Tensor tensor)) {
            throw new IllegalArgumentException("a stage after the first takes a tensor payload");
        }
        return Activations.of(tensor);
    }

    @Override
    public void close() {
        nats.closeDispatcher(dispatcher);
    }
}
