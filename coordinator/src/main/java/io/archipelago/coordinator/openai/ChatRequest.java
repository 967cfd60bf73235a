package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.http.HttpStatus;

/**
 * The parts of an OpenAI chat completion request the exchange uses. {@code promptTokens} counts the words of the
 * messages: the Islands report units, not the prompt's tokens, so usage is an estimate.
 */
record ChatRequest(String model, JsonNode messages, JsonNode maxTokens, boolean stream, boolean includeUsage,
                   long promptTokens) {

    static ChatRequest of(JsonNode request) {
        if (!request.isObject()) {
            throw invalid("the request body is a JSON object");
        }
        if (!request.path("model").isTextual() || request.path("model").asText().isBlank()) {
            throw invalid("`model` names a Cargo type");
        }
        JsonNode messages = request.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            throw invalid("`messages` is a non-empty array");
        }
        long words = 0;
        for (JsonNode message : messages) {
            String content = message.path("content").asText("").trim();
            words += content.isEmpty() ? 0 : content.split("\\s+").length;
        }
        return new ChatRequest(request.path("model").asText(), messages, request.path("max_tokens"),
                request.path("stream").asBoolean(false),
                request.path("stream_options").path("include_usage").asBoolean(false), words);
    }

    /** The job's input as the Island's runtimes read it. */
    ObjectNode input(ObjectMapper json) {
        ObjectNode input = json.createObjectNode();
        input.set("messages", messages);
        if (maxTokens.isIntegralNumber()) {
            input.put("max_tokens", maxTokens.asInt());
        }
        return input;
    }

    private static OpenAiException invalid(String message) {
        return new OpenAiException(HttpStatus.BAD_REQUEST, "invalid_request_error", "invalid_request", message);
    }
}
