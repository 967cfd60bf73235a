package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.bridge.stream.StreamChunk;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * One chat completion's output from the Island: relayed chunk by chunk as OpenAI's {@code chat.completion.chunk}
 * server-sent events when {@code emitter} is given, and gathered into its whole text either way. Each event is
 * {@code data: <one-line JSON>} and a blank line, the framing the official clients parse; a streamed answer starts
 * with the role chunk at once ({@link #begin}), hears SSE comments while it waits for an Island ({@link #beat}), and
 * ends with {@code data: [DONE]}, or with an {@code error} event naming the cause ({@code island_failed},
 * {@code no_eligible_island}). A client whose connection breaks is reported once to the {@code onGone} action, with
 * the tokens that reached it, unless the job already ended.
 */
final class CompletionRelay implements JobRelay, WholeAnswer.Relay {

    private final ObjectMapper json;
    private final String id;
    private final String model;
    private final long created;
    private final long promptTokens;
    private final boolean includeUsage;
    private final Duration bidTtl;
    private final @Nullable ResponseBodyEmitter emitter;
    private final StringBuilder text = new StringBuilder();
    private final List<String> pieces = new ArrayList<>();
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<Long> finished = new CompletableFuture<>();
    private @Nullable GoneAction onGone;
    private boolean begun;
    private boolean gone;
    private long completionTokens;
    private long delivered;
    private @Nullable String cache;
    private long cachedTokens;

    /** What to do when the client left before the job ended: told the tokens that reached it. */
    interface GoneAction {
        void left(long tokensDelivered);
    }

    CompletionRelay(ObjectMapper json, String id, String model, long created, long promptTokens, boolean includeUsage,
                    Duration bidTtl, @Nullable ResponseBodyEmitter emitter) {
        this.json = json;
        this.id = id;
        this.model = model;
        this.created = created;
        this.promptTokens = promptTokens;
        this.includeUsage = includeUsage;
        this.bidTtl = bidTtl;
        this.emitter = emitter;
    }

    /** Completes with the first event of the job: its first chunk, its end or its failure. */
    @Override
    public CompletableFuture<Void> started() {
        return started;
    }

    /** Completes with the units the job used, or exceptionally with {@link OpenAiException} when it failed. */
    @Override
    public CompletableFuture<Long> finished() {
        return finished;
    }

    /**
     * Marks every object of the answer with what the inference cache did ({@code archipelago_cache}: {@code exact},
     * {@code miss}, {@code bypass}); an answer from the cache counts its whole prompt as cached tokens.
     */
    synchronized void cache(String outcome, boolean fromCache) {
        cache = outcome;
        cachedTokens = fromCache ? promptTokens : 0;
    }

    /** The text chunks of the answer so far, in order. */
    synchronized List<String> pieces() {
        return List.copyOf(pieces);
    }

    synchronized long completionTokens() {
        return completionTokens;
    }

    /** Whether the client is still there: it received, or is receiving, the whole answer. */
    synchronized boolean present() {
        return !gone;
    }

    synchronized void onGone(GoneAction action) {
        onGone = action;
    }

    /** Sends OpenAI's first chunk, which names the role, before any Island answered. */
    synchronized void begin() {
        if (!begun) {
            begun = true;
            send(chunk(json.createObjectNode().put("role", "assistant").put("content", ""), null));
        }
    }

    /** An SSE comment while the job waits for its first token: ignored by clients, proof of life to proxies. */
    synchronized void beat() {
        if (emitter != null && !started.isDone()) {
            write(": waiting for an Island\n\n");
        }
    }

    @Override
    public synchronized void onChunk(StreamChunk chunk) {
        begin();
        completionTokens++;
        text.append(chunk.text());
        pieces.add(chunk.text());
        if (send(chunk(json.createObjectNode().put("content", chunk.text()), null))) {
            delivered++;
        }
        started.complete(null);
    }

    @Override
    public synchronized void onCompleted(long units) {
        begin();
        send(chunk(json.createObjectNode(), "stop"));
        if (includeUsage) {
            ObjectNode last = envelope("chat.completion.chunk");
            last.putArray("choices");
            last.set("usage", usage());
            send(last);
        }
        write("data: [DONE]\n\n");
        // finished before the emitter completes, so that its completion never reads as a client that left
        finished.complete(units);
        end();
    }

    @Override
    public synchronized void onFailed(String reason) {
        fail(new OpenAiException(HttpStatus.BAD_GATEWAY, "server_error", "island_failed",
                "the Island could not complete the job: " + reason));
    }

    @Override
    public synchronized void onExpired(String reason) {
        fail(OpenAiException.expired(reason, bidTtl));
    }

    /** Ends the answer with {@code failure}: an error event on a stream, the error itself for a whole answer. */
    synchronized void fail(OpenAiException failure) {
        if (finished.isDone()) {
            return;
        }
        send(json.valueToTree(failure.body()));
        finished.completeExceptionally(failure);
        end();
    }

    /** The client's connection ended or broke (its emitter timed out, erred or completed) before the job did. */
    @Override
    public synchronized void left() {
        if (gone || finished.isDone()) {
            return;
        }
        gone = true;
        if (onGone != null) {
            onGone.left(delivered);
        }
    }

    /**
     * The request ran out of its time: it ends with {@code failure} and, as when the client leaves, the job is
     * cancelled at the tokens that reached the client.
     */
    @Override
    public synchronized void timedOut(OpenAiException failure) {
        if (finished.isDone()) {
            return;
        }
        GoneAction action = onGone;
        long reached = delivered;
        fail(failure);
        if (action != null) {
            action.left(reached);
        }
    }

    /** The whole answer as a {@code chat.completion}, once {@link #finished} completed normally. */
    synchronized ObjectNode completion() {
        ObjectNode completion = envelope("chat.completion");
        ObjectNode choice = completion.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", text.toString());
        choice.putNull("logprobs");
        choice.put("finish_reason", "stop");
        completion.set("usage", usage());
        return completion;
    }

    private void end() {
        started.complete(null);
        if (emitter != null && !gone) {
            emitter.complete();
        }
    }

    private ObjectNode chunk(ObjectNode delta, @Nullable String finishReason) {
        ObjectNode chunk = envelope("chat.completion.chunk");
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        if (includeUsage) {
            chunk.putNull("usage");
        }
        return chunk;
    }

    private ObjectNode envelope(String object) {
        ObjectNode envelope = json.createObjectNode().put("id", id).put("object", object).put("created", created)
                .put("model", model);
        if (cache != null) {
            envelope.put("archipelago_cache", cache);
        }
        return envelope;
    }

    private ObjectNode usage() {
        ObjectNode usage = json.createObjectNode().put("prompt_tokens", promptTokens)
                .put("completion_tokens", completionTokens).put("total_tokens", promptTokens + completionTokens);
        usage.putObject("prompt_tokens_details").put("cached_tokens", cachedTokens);
        return usage;
    }

    /** Sends one event; true when it was written to a client still there. */
    private boolean send(ObjectNode event) {
        if (emitter == null) {
            return false;
        }
        try {
            return write("data: " + json.writeValueAsString(event) + "\n\n");
        } catch (IOException unwritable) {
            return false;
        }
    }

    private boolean write(String frame) {
        if (emitter == null || gone) {
            return false;
        }
        try {
            emitter.send(frame, MediaType.TEXT_PLAIN);
            return true;
        } catch (IOException | IllegalStateException broken) {
            // the client left or the emitter already ended: whatever it did not receive, it does not pay for
            left();
            emitter.completeWithError(broken);
            return false;
        }
    }
}
