package io.archipelago.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A deterministic text generator for the embedded demo, not a model: it answers every prompt with the same kind of
 * sentence, made from the prompt's words, and says it is a demo in its first token. The same input always gives the
 * same output. A pause between tokens makes the streaming visible.
 */
final class DemoRuntime implements JobRuntime {

    private static final int DEFAULT_TOKENS = 24;

    private final String islandId;
    private final Duration tokenPause;

    DemoRuntime(String islandId, Duration tokenPause) {
        this.islandId = islandId;
        this.tokenPause = tokenPause;
    }

    @Override
    public long run(String cargo, JsonNode input, long maxUnits, Output output) throws InterruptedException {
        List<String> tokens = tokens(prompt(input), input.path("max_tokens").asInt(DEFAULT_TOKENS));
        for (String token : tokens) {
            if (output.cancelled()) {
                break;
            }
            output.chunk(token);
            if (!tokenPause.isZero()) {
                TimeUnit.NANOSECONDS.sleep(tokenPause.toNanos());
            }
        }
        return Units.ofTokens(tokens.size());
    }

    @Override
    public String label() {
        return "demo";
    }

    List<String> tokens(String prompt, int maxTokens) {
        List<String> words = new ArrayList<>();
        for (String word : prompt.split("\\s+")) {
            if (!word.isBlank()) {
                words.add(word);
            }
        }
        List<String> tokens = new ArrayList<>();
        tokens.add("[demo]");
        tokens.add(" Island");
        tokens.add(" " + islandId);
        tokens.add(" heard");
        tokens.add(" " + words.size());
        tokens.add(" words:");
        for (int i = words.size() - 1; i >= 0; i--) {
            tokens.add(" " + words.get(i));
        }
        tokens.add(".");
        return tokens.subList(0, Math.min(tokens.size(), Math.max(1, maxTokens)));
    }

    /** The last user message of a chat request, or its {@code prompt}, or its {@code input}. */
    static String prompt(JsonNode input) {
        JsonNode messages = input.path("messages");
        if (messages.isArray()) {
            for (int i = messages.size() - 1; i >= 0; i--) {
                if ("user".equals(messages.get(i).path("role").asText())) {
                    return messages.get(i).path("content").asText("");
                }
            }
        }
        if (input.path("prompt").isTextual()) {
            return input.path("prompt").asText();
        }
        return input.path("input").asText("");
    }
}
