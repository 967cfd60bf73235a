package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.protocol.Codec;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * The parts of an OpenAI embeddings request the exchange uses: the texts in input order, whether the vectors go back
 * as Base64 of little-endian float32 (what the official clients ask for by default) or as JSON numbers, and the
 * dimensions asked for, if any. Token arrays are refused: the Islands read text. {@code promptTokens} counts words,
 * an estimate as for chat, since the Islands report units rather than tokens.
 */
record EmbeddingsRequest(String model, List<String> texts, boolean base64, @Nullable Integer dimensions,
                         long promptTokens) {

    /** OpenAI's limit on the inputs of one request. */
    static final int MAX_INPUTS = 2048;

    /** The embeddings runtime's limit on one text; it refuses longer ones rather than cut them silently. */
    static final int MAX_CHARACTERS = 8_192;

    /**
     * The job's input travels to the Island inside one protocol message, which the Island reads only up to
     * {@link Codec#MAX_BYTES}; this leaves room for the message's other fields.
     */
    static final int MAX_INPUT_BYTES = Codec.MAX_BYTES - 4_096;

    EmbeddingsRequest {
        texts = List.copyOf(texts);
    }

    static EmbeddingsRequest of(JsonNode request) {
        if (!request.isObject()) {
            throw invalid("invalid_request", "the request body is a JSON object");
        }
        if (!request.path("model").isTextual() || request.path("model").asText().isBlank()) {
            throw invalid("invalid_request", "`model` names a Cargo type");
        }
        List<String> texts = texts(request.path("input"));
        JsonNode format = request.path("encoding_format");
        boolean base64 = false;
        if (!format.isMissingNode() && !format.isNull()) {
            base64 = switch (format.asText()) {
                case "float" -> false;
                case "base64" -> true;
                default -> throw invalid("invalid_encoding_format",
                        "`encoding_format` is \"float\" or \"base64\", got " + format);
            };
        }
        JsonNode dimensions = request.path("dimensions");
        if (!dimensions.isMissingNode() && !dimensions.isNull()
                && (!dimensions.isIntegralNumber() || !dimensions.canConvertToInt() || dimensions.asInt() < 1)) {
            throw invalid("invalid_dimensions", "`dimensions` is a positive whole number, got " + dimensions);
        }
        long words = 0;
        for (String text : texts) {
            String trimmed = text.trim();
            words += trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
        }
        return new EmbeddingsRequest(request.path("model").asText(), texts, base64,
                dimensions.isIntegralNumber() ? dimensions.asInt() : null, words);
    }

    private static List<String> texts(JsonNode input) {
        List<String> texts = new ArrayList<>();
        if (input.isTextual()) {
            texts.add(input.asText());
        } else if (input.isArray() && !input.isEmpty()) {
            if (input.size() > MAX_INPUTS) {
                throw invalid("too_many_inputs", "`input` has at most " + MAX_INPUTS + " texts, got " + input.size());
            }
            for (JsonNode text : input) {
                if (text.isNumber() || text.isArray()) {
                    throw invalid("token_input_unsupported", "`input` as tokens is not supported here: the "
                            + "Islands read text, so send a string or a list of strings");
                }
                if (!text.isTextual()) {
                    throw invalid("invalid_input", "each item of `input` is a string, got " + text.getNodeType());
                }
                texts.add(text.asText());
            }
        } else {
            throw invalid("invalid_input", "`input` is a string or a non-empty list of strings");
        }
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text.isEmpty()) {
                throw invalid("invalid_input", "`input` [" + i + "] is empty; every text has at least one character");
            }
            if (text.length() > MAX_CHARACTERS) {
                throw invalid("input_too_long", "`input` [" + i + "] has " + text.length()
                        + " characters; a text has at most " + MAX_CHARACTERS);
            }
        }
        return texts;
    }

    /** The job's input as the Island's embeddings runtime reads it: {@code {"input": [texts]}}. */
    ObjectNode input(ObjectMapper json) {
        ObjectNode input = json.createObjectNode();
        ArrayNode list = input.putArray("input");
        texts.forEach(list::add);
        int bytes;
        try {
            bytes = json.writeValueAsBytes(input).length;
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
        if (bytes > MAX_INPUT_BYTES) {
            throw invalid("input_too_large", "the texts of one request take at most " + MAX_INPUT_BYTES
                    + " bytes as JSON, these take " + bytes + "; split them over several requests");
        }
        return input;
    }

    private static OpenAiException invalid(String code, String message) {
        return new OpenAiException(HttpStatus.BAD_REQUEST, "invalid_request_error", code, message);
    }
}
