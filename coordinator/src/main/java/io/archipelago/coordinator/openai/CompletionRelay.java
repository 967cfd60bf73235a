package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.bridge.stream.StreamChunk;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * One chat completion's output from the Island: relayed chunk by chunk as OpenAI's {@code chat.completion.chunk}
 * server-sent events when {@code emitter} is given, and gathered into its whole text either way. Each event is
 * {@code data: <one-line JSON>} and a blank line, the framing the official clients parse; the stream ends with
 * {@code data: [DONE]}, or with an {@code error} event when the job failed.
 */
final class CompletionRelay implements JobRelay {

    private final ObjectMapper json;
    private final String id;
    private final String model;
    private final long created;
    private final long promptTokens;
    private final boolean includeUsage;
    private final @Nullable ResponseBodyEmitter emitter;
    private final StringBuilder text = new StringBuilder();
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<Long> finished = new CompletableFuture<>();
    private long completionTokens;

    CompletionRelay(ObjectMapper json, String id, String model, long created, long promptTokens, boolean includeUsage,
                    @Nullable ResponseBodyEmitter emitter) {
        this.json = json;
        this.id = id;
        this.model = model;
        this.created = created;
        this.promptTokens = promptTokens;
        this.includeUsage = includeUsage;
        this.emitter = emitter;
    }

    /** Completes with the first event of the job: its first chunk, its end or its failure. */
    @Override
    public CompletableFuture<Void> started() {
        return started;
    }

    /** Completes with the units the job used, or exceptionally with {@link OpenAiException} when it failed. */
    CompletableFuture<Long> finished() {
        return finished;
    }

    @Override
    public void onChunk(StreamChunk chunk) {
        if (completionTokens == 0) {
            // OpenAI's first chunk names the role; clients that build the message from deltas expect it
            ObjectNode role = json.createObjectNode().put("role", "assistant").put("content", "");
            send(chunk(role, null));
        }
        completionTokens++;
        text.append(chunk.text());
        send(chunk(json.createObjectNode().put("content", chunk.text()), null));
        started.complete(null);
    }

    @Override
    public void onCompleted(long units) {
        send(chunk(json.createObjectNode(), "stop"));
        if (includeUsage) {
            ObjectNode last = envelope("chat.completion.chunk");
            last.putArray("choices");
            last.set("usage", usage());
            send(last);
        }
        sendRaw("[DONE]");
        if (emitter != null) {
            emitter.complete();
        }
        started.complete(null);
        finished.complete(units);
    }

    @Override
    public void onFailed(String reason) {
        OpenAiException failure = new OpenAiException(HttpStatus.BAD_GATEWAY, "server_error",
                "island_failed", "the Island could not complete the job: " + reason);
        send(json.valueToTree(failure.body()));
        if (emitter != null) {
            emitter.complete();
        }
        started.complete(null);
        finished.completeExceptionally(failure);
    }

    /** The whole answer as a {@code chat.completion}, once {@link #finished} completed normally. */
    ObjectNode completion() {
        ObjectNode completion = envelope("chat.completion");
        ObjectNode choice = completion.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", text.toString());
        choice.putNull("logprobs");
        choice.put("finish_reason", "stop");
        completion.set("usage", usage());
        return completion;
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
        return json.createObjectNode().put("id", id).put("object", object).put("created", created)
                .put("model", model);
    }

    private ObjectNode usage() {
        return json.createObjectNode().put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
    }

    private void send(ObjectNode event) {
        if (emitter != null) {
            try {
                sendRaw(json.writeValueAsString(event));
            } catch (IOException unwritable) {
                emitter.completeWithError(unwritable);
            }
        }
    }

    private void sendRaw(String data) {
        if (emitter == null) {
            return;
        }
        try {
            emitter.send("data: " + data + "\n\n", MediaType.TEXT_PLAIN);
        } catch (IOException | IllegalStateException gone) {
            // the client left or the emitter already ended: the emitter's callbacks close the subscription
            emitter.completeWithError(gone);
        }
    }
}
