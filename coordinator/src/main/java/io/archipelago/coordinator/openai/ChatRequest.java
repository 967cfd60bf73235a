package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
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
        if (messages.size() > MAX_MESSAGES) {
            throw invalid("`messages` holds at most " + MAX_MESSAGES + " messages, got " + messages.size());
        }
        long words = 0;
        for (int i = 0; i < messages.size(); i++) {
            words += words(messages.get(i), i);
        }
        JsonNode stream = request.path("stream");
        if (!stream.isMissingNode() && !stream.isNull() && !stream.isBoolean()) {
            throw invalid("`stream` is true or false");
        }
        JsonNode maxTokens = request.path("max_tokens");
        if (!maxTokens.isMissingNode() && !maxTokens.isNull()
                && (!maxTokens.canConvertToInt() || !maxTokens.isIntegralNumber() || maxTokens.asInt() < 1)) {
            throw invalid("`max_tokens` is a whole number of at least 1");
        }
        return new ChatRequest(request.path("model").asText(), messages, maxTokens, stream.asBoolean(false),
                request.path("stream_options").path("include_usage").asBoolean(false), words);
    }

    /** The most messages one request may hold. */
    static final int MAX_MESSAGES = 2_048;
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

    /**
     * Checks message {@code index} as OpenAI does and counts the words of its text: a role OpenAI knows, and content
     * that is a string or a list of parts (text parts counted), which only an assistant's message may leave out.
     */
    private static long words(JsonNode message, int index) {
        String at = "messages[" + index + "]";
        if (!message.isObject()) {
            throw invalid("`" + at + "` is an object with a `role` and a `content`");
        }
        JsonNode role = message.path("role");
        if (!role.isTextual() || !ROLES.contains(role.asText())) {
            throw invalid("`" + at + ".role` is one of " + new TreeSet<>(ROLES) + ", got " + role);
        }
        JsonNode content = message.path("content");
        if (content.isMissingNode() || content.isNull()) {
            if (!role.asText().equals("assistant")) {
                throw invalid("`" + at + ".content` is required for a " + role.asText() + " message");
            }
            return 0;
        }
        if (content.isTextual()) {
            return words(content.asText());
        }
        if (!content.isArray()) {
            throw invalid("`" + at + ".content` is a string or a list of content parts, got " + content.getNodeType()
                    .name().toLowerCase(Locale.ROOT));
        }
        long words = 0;
        for (JsonNode part : content) {
            if (!part.isObject() || !part.path("type").isTextual()) {
                throw invalid("each part of `" + at + ".content` is an object with a `type`");
            }
            if (part.path("type").asText().equals("text")) {
                if (!part.path("text").isTextual()) {
                    throw invalid("a text part of `" + at + ".content` has a string `text`");
                }
                words += words(part.path("text").asText());
            }
        }
        return words;
    }

    private static long words(String text) {
        String trimmed = text.trim();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
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
