package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * Server-sent events as the official clients read them: {@code event: <type>}, {@code data: <one-line JSON>}
 * whose {@code type} is the same, and a blank line; an error is a {@code data: {"error": ...}} event.
 */
final class ImageEventStream implements ImageRelay.Sink {

    private final ResponseBodyEmitter emitter;
    private final ObjectMapper json;
    private boolean broken;

    ImageEventStream(ResponseBodyEmitter emitter, ObjectMapper json) {
        this.emitter = emitter;
        this.json = json;
    }

    @Override
    public boolean event(String type, ObjectNode data) {
        try {
            return write("event: " + type + "\ndata: " + json.writeValueAsString(data) + "\n\n");
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    @Override
    public void error(OpenAiException failure) {
        try {
            write("event: error\ndata: " + json.writeValueAsString(failure.body()) + "\n\n");
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
        end();
    }

    @Override
    public void beat() {
        write(": waiting for an Island\n\n");
    }

    @Override
    public void end() {
        if (!broken) {
            emitter.complete();
        }
    }

    private boolean write(String frame) {
        if (broken) {
            return false;
        }
        try {
            emitter.send(frame, MediaType.TEXT_PLAIN);
            return true;
        } catch (IOException | IllegalStateException gone) {
            broken = true;
            emitter.completeWithError(gone);
            return false;
        }
    }
}
