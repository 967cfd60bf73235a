package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * Where a {@link CompletionRelay} writes a chat stream that goes to a WebSocket rather than an HTTP response: each
 * server-sent event the relay writes ({@code data: <json>} and a blank line) becomes one frame with the same JSON,
 * {@code data: [DONE]} the {@code done} frame and an {@code {"error": ...}} event an {@code error} frame. Sharing the
 * relay keeps the chunks of both doors the same, chunk for chunk.
 */
final class SocketEmitter extends ResponseBodyEmitter {

    private static final String DATA = "data: ";

    private final SocketConversation conversation;
    private final ObjectMapper json;
    private final @Nullable String requestId;
    private final String jobId;

    SocketEmitter(SocketConversation conversation, ObjectMapper json, @Nullable String requestId, String jobId) {
        this.conversation = conversation;
        this.json = json;
        this.requestId = requestId;
        this.jobId = jobId;
    }

    @Override
    public void send(Object event, @Nullable MediaType mediaType) {
        String text = event.toString().strip();
        if (text.startsWith(":")) {
            // an SSE comment keeps an HTTP stream alive; a socket has its own pings
            return;
        }
        String data = text.startsWith(DATA) ? text.substring(DATA.length()) : text;
        if (data.equals("[DONE]")) {
            conversation.done(requestId, jobId);
            return;
        }
        JsonNode payload;
        try {
            payload = json.readTree(data);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException("the relay wrote an event that is not JSON", impossible);
        }
        if (payload instanceof ObjectNode object) {
            conversation.send(object.has("error") ? "error" : object.path("object").asText("chunk"), requestId,
                    object);
        }
    }

    /** The relay's end is its last event, already sent as a frame. */
    @Override
    public void complete() {
    }

    /** The socket is gone; closing it lets go of the job. */
    @Override
    public void completeWithError(Throwable failure) {
    }
}
