package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * One WebSocket's requests: which request ids are in flight (at most {@value #MAX_IN_FLIGHT}, each id once at a
 * time), how to let go of each one's job, and the frames written to the socket. Frames may come from several jobs'
 * threads at once; {@code socket} serialises them. When the socket closes every job still held is let go.
 */
final class SocketConversation {

    static final int MAX_IN_FLIGHT = 32;

    private final WebSocketSession socket;
    private final ObjectMapper json;
    private final Set<String> requestIds = new HashSet<>();
    private final Map<String, Runnable> releases = new HashMap<>();
    private int inFlight;
    private boolean closed;

    /** {@code socket} is safe to send on from several threads (a {@code ConcurrentWebSocketSessionDecorator}). */
    SocketConversation(WebSocketSession socket, ObjectMapper json) {
        this.socket = socket;
        this.json = json;
    }

    /** Takes a new request in; false when the socket has too many in flight or {@code requestId} is in flight. */
    synchronized boolean begin(@Nullable String requestId) {
        if (closed || inFlight >= MAX_IN_FLIGHT || (requestId != null && requestIds.contains(requestId))) {
            return false;
        }
        if (requestId != null) {
            requestIds.add(requestId);
        }
        inFlight++;
        return true;
    }

    /** Keeps how to let go of job {@code jobId}; lets go at once when the socket is already closed. */
    void hold(String jobId, Runnable release) {
        synchronized (this) {
            if (!closed) {
                releases.put(jobId, release);
                return;
            }
        }
        release.run();
    }

    /** The request ended (its job too, if it had one): its id may be used again. */
    synchronized void end(@Nullable String requestId, @Nullable String jobId) {
        if (requestId != null) {
            requestIds.remove(requestId);
        }
        if (jobId != null) {
            releases.remove(jobId);
        }
        inFlight--;
    }

    /** The socket closed: lets go of every job still running for it. */
    void close() {
        Map<String, Runnable> held;
        synchronized (this) {
            closed = true;
            held = new HashMap<>(releases);
            releases.clear();
        }
        held.values().forEach(Runnable::run);
    }

    /** Sends {@code body} as a frame of {@code type} for {@code requestId}, the request id first. */
    void send(String type, @Nullable String requestId, ObjectNode body) {
        ObjectNode frame = json.createObjectNode().put("type", type).put("request_id", requestId);
        body.properties().forEach(field -> {
            if (!field.getKey().equals("type") && !field.getKey().equals("request_id")) {
                frame.set(field.getKey(), field.getValue());
            }
        });
        try {
            socket.sendMessage(new TextMessage(json.writeValueAsString(frame)));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        } catch (IOException | IllegalStateException gone) {
            // the socket closed or its client stopped reading: closing the socket lets go of the jobs
        }
    }

    void done(@Nullable String requestId, String jobId) {
        send("done", requestId, json.createObjectNode().put("job_id", jobId));
    }

    void error(@Nullable String requestId, OpenAiException failure) {
        send("error", requestId, json.valueToTree(failure.body()));
    }
}
