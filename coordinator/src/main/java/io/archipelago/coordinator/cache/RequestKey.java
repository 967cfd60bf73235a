package io.archipelago.coordinator.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What makes two chat requests the same request for the exact tier: the Cargo type and the version of it that
 * answers (its registration), the messages, and every parameter that changes the output. Objects are written with
 * their keys in order and numbers in their shortest exact form ({@code 0}, {@code 0.0} and {@code 0e0} alike), so
 * the key does not depend on how a client serialized the body; what changes only the delivery ({@code stream},
 * {@code stream_options}, {@code user}, {@code metadata}, the exchange's own bid terms) is left out.
 *
 * @param hash  SHA-256 of the canonical form, in hex: the key of the entry
 * @param scope SHA-256 of the canonical form without the messages: what a near-duplicate must share exactly
 * @param bytes the canonical form's length, in bytes
 */
public record RequestKey(String hash, String scope, int bytes) {

    /** The request fields that change what the model answers. */
    static final Set<String> OUTPUT_FIELDS = Set.of("messages", "temperature", "top_p", "seed", "max_tokens",
            "max_completion_tokens", "stop", "response_format", "tools", "tool_choice", "parallel_tool_calls",
            "functions", "function_call", "n", "presence_penalty", "frequency_penalty", "logit_bias", "logprobs",
            "top_logprobs", "reasoning_effort", "modalities", "audio", "prediction", "web_search_options");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The key of {@code request} on Cargo {@code cargo} as registered in {@code cargoVersion}. */
    public static RequestKey of(String cargo, String cargoVersion, JsonNode request) {
        ObjectNode canonical = JSON.createObjectNode();
        canonical.put("cargo", cargo);
        canonical.put("cargo_version", cargoVersion);
        Map<String, JsonNode> fields = new TreeMap<>();
        for (Map.Entry<String, JsonNode> field : request.properties()) {
            if (OUTPUT_FIELDS.contains(field.getKey()) && !field.getValue().isNull()) {
                fields.put(field.getKey(), canonical(field.getValue()));
            }
        }
        fields.forEach(canonical::set);
        byte[] form = canonical.toString().getBytes(StandardCharsets.UTF_8);
        canonical.remove("messages");
        return new RequestKey(sha256(form), sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)),
                form.length);
    }

    /** The text of the request's messages, one line per message, as the semantic tier compares prompts. */
    public static String prompt(JsonNode request) {
        StringBuilder prompt = new StringBuilder();
        for (JsonNode message : request.path("messages")) {
            JsonNode content = message.path("content");
            prompt.append(message.path("role").asText()).append(": ");
            if (content.isTextual()) {
                prompt.append(content.asText());
            }
            for (JsonNode part : content.isArray() ? content : JSON.createArrayNode()) {
                if (part.path("type").asText().equals("text")) {
                    prompt.append(part.path("text").asText()).append(' ');
                }
            }
            prompt.append('\n');
        }
        return prompt.toString();
    }

    private static String sha256(byte[] form) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(form));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JDK has SHA-256", impossible);
        }
    }

    private static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                sorted.put(field.getKey(), canonical(field.getValue()));
            }
            ObjectNode object = JSON.createObjectNode();
            sorted.forEach(object::set);
            return object;
        }
        if (node.isArray()) {
            ArrayNode array = JSON.createArrayNode();
            node.forEach(element -> array.add(canonical(element)));
            return array;
        }
        if (node.isNumber()) {
            return JSON.getNodeFactory().numberNode(node.decimalValue().stripTrailingZeros());
        }
        return node;
    }
}
