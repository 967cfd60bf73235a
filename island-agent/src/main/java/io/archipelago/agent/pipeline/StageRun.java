package io.archipelago.agent.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.archipelago.protocol.Codec;
import io.archipelago.protocol.Payload;
import io.archipelago.protocol.Payloads;
import io.archipelago.protocol.StageOffer;
import io.archipelago.protocol.Subjects;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * One stage of one pipeline job on this Island, offered by the coordinator ({@link StageOffer}). A stage after the
 * first hears its input from the previous stage's Island only: it subscribes to the one hop addressed to it from
 * that Island ({@link Subjects#hop}) when the offer is taken, before the Island answers, so nothing sent after the
 * answer is missed. {@link #run} then takes each of the job's inputs once (the header {@link StageWorker#INDEX} says
 * which), runs the stage's layers and sends the activations to the next stage's Island, or, on the last stage, hands
 * the pooled embedding to the caller, which sends it as the job's output.
 */
public final class StageRun implements AutoCloseable {

    /** How often a stage waiting for input looks whether the job was cancelled. */
    private static final Duration POLL = Duration.ofMillis(200);

    /** Where the last stage puts the embedding of input {@code index}. */
    public interface Embeddings {
        void embedding(int index, float[] vector);
    }

    private final Connection nats;
    private final PipelineModel model;
    private final String islandId;
    private final String jobId;
    private final StageOffer stage;
    private final @Nullable QueuedSubscription input;

    private StageRun(Connection nats, PipelineModel model, String islandId, String jobId, StageOffer stage,
                     @Nullable QueuedSubscription input) {
        this.nats = nats;
        this.model = model;
        this.islandId = islandId;
        this.jobId = jobId;
        this.stage = stage;
        this.input = input;
    }

    /**
     * Takes stage {@code stage} of {@code jobId}: checks the layer range fits the model and the stage's place in the
     * chain, and subscribes to its input hop.
     *
     * @throws IllegalArgumentException when the stage cannot run here
     */
    public static StageRun open(Connection nats, PipelineModel model, String islandId, String jobId,
                                StageOffer stage) {
        if (stage.toLayer() > MiniLmStage.LAYERS || stage.first() != (stage.fromLayer() == 0)
                || stage.last() != (stage.toLayer() == MiniLmStage.LAYERS)) {
            throw new IllegalArgumentException("stage " + stage.index() + " of " + stage.count()
                    + " cannot run layers [" + stage.fromLayer() + ", " + stage.toLayer() + ") of a model of "
                    + MiniLmStage.LAYERS);
        }
        QueuedSubscription input = stage.first() ? null
                : QueuedSubscription.open(nats, Subjects.hop(jobId, stage.index(), stage.previousIsland(), islandId));
        return new StageRun(nats, model, islandId, jobId, stage, input);
    }

    /**
     * Runs every input through the stage, until all of them passed, the job is {@code cancelled} or its deadline
     * ({@code deadlineEpochMillis}) passed; returns the tokens it read.
     */
    public long run(JsonNode offered, long deadlineEpochMillis, BooleanSupplier cancelled, Embeddings embeddings)
            throws IOException, InterruptedException {
        MiniLmStage layers = model.stage(stage.fromLayer(), stage.toLayer());
        long tokens = 0;
        if (stage.first()) {
            List<String> texts = texts(offered);
            if (texts.size() != stage.inputs()) {
                throw new IllegalArgumentException("the offer names " + stage.inputs() + " inputs but carries "
                        + texts.size());
            }
            for (int i = 0; i < texts.size() && !cancelled.getAsBoolean(); i++) {
                int[] ids = model.tokenizer().ids(texts.get(i));
                if (ids.length > StageWorker.MAX_TOKENS) {
                    throw new IllegalArgumentException("a text in a pipeline has at most " + StageWorker.MAX_TOKENS
                            + " tokens, input " + i + " has " + ids.length);
                }
                tokens += ids.length;
                send(i, layers.forward(layers.embed(ids)), embeddings);
            }
            return tokens;
        }
        BitSet seen = new BitSet(stage.inputs());
        while (seen.cardinality() < stage.inputs() && !cancelled.getAsBoolean()) {
            if (System.currentTimeMillis() > deadlineEpochMillis) {
                throw new IllegalStateException("the job's deadline passed with " + seen.cardinality() + " of "
                        + stage.inputs() + " inputs through stage " + stage.index());
            }
            Message message = input.nextMessage(POLL);
            if (message == null) {
                continue;
            }
            int index = index(message);
            if (seen.get(index)) {
                continue;
            }
            seen.set(index);
            Payload payload = Codec.json().readValue(message.getData(), Payload.class);
            if (!(payload instanceof Payloads.Tensor tensor)) {
                throw new IllegalArgumentException("a stage after the first takes a tensor payload");
            }
            Activations activations = Activations.of(tensor);
            tokens += activations.tokens();
            send(index, layers.forward(activations), embeddings);
        }
        return tokens;
    }

    private void send(int index, Activations output, Embeddings embeddings) throws IOException {
        if (stage.last()) {
            embeddings.embedding(index, MiniLmStage.pool(output));
            return;
        }
        Headers headers = new Headers();
        headers.put(StageWorker.INDEX, Integer.toString(index));
        nats.publish(Subjects.hop(jobId, stage.index() + 1, islandId, stage.nextIsland()), headers,
                Codec.json().writeValueAsBytes(output.toTensor()));
    }

    private int index(Message message) {
        String value = message.getHeaders() == null ? null : message.getHeaders().getFirst(StageWorker.INDEX);
        int index;
        try {
            index = value == null ? -1 : Integer.parseInt(value);
        } catch (NumberFormatException notANumber) {
            index = -1;
        }
        if (index < 0 || index >= stage.inputs()) {
            throw new IllegalArgumentException("a hop names input " + value + " of a job of " + stage.inputs());
        }
        return index;
    }

    /** The texts of an OpenAI embeddings request body: {@code input}, a string or a list of strings. */
    static List<String> texts(JsonNode body) {
        JsonNode value = body.path("input");
        List<String> texts = new ArrayList<>();
        if (value.isTextual()) {
            texts.add(value.asText());
        } else if (value.isArray()) {
            value.forEach(text -> texts.add(text.asText()));
        } else {
            throw new IllegalArgumentException("a pipeline job's input is {\"input\": text or [texts]}");
        }
        return texts;
    }

    @Override
    public void close() {
        if (input != null) {
            input.close();
        }
    }
}
