package io.archipelago.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.output.Response;
import io.archipelago.protocol.Codec;
import java.util.ArrayList;
import java.util.List;

/**
 * A real model in-process: all-MiniLM-L6-v2 (384 dimensions) on ONNX Runtime, loaded from its jar with no network.
 * The input is OpenAI's embeddings request ({@code input}: a string or a list of strings); each text's embedding
 * is one chunk, {@code {"index": i, "embedding": [...]}}. Units are the tokens the model read, in thousands,
 * rounded up.
 */
final class EmbeddingsRuntime implements JobRuntime {

    /** The model's tokenizer truncates here; longer texts are refused rather than silently cut. */
    static final int MAX_CHARACTERS = 8_192;

    private final EmbeddingModel model = new AllMiniLmL6V2EmbeddingModel();

    @Override
    public long run(String cargo, JsonNode input, long maxUnits, Output output) {
        List<String> texts = texts(input);
        long tokens = 0;
        for (int i = 0; i < texts.size() && !output.cancelled(); i++) {
            Response<Embedding> response = model.embed(texts.get(i));
            ObjectNode chunk = Codec.json().createObjectNode().put("index", i);
            ArrayNode vector = chunk.putArray("embedding");
            for (float value : response.content().vector()) {
                vector.add(value);
            }
            output.chunk(chunk.toString());
            Integer counted = response.tokenUsage() == null ? null : response.tokenUsage().inputTokenCount();
            tokens += counted == null ? texts.get(i).split("\\s+").length : counted;
        }
        return Units.ofTokens(tokens);
    }

    static List<String> texts(JsonNode input) {
        JsonNode value = input.path("input");
        List<String> texts = new ArrayList<>();
        if (value.isTextual()) {
            texts.add(value.asText());
        } else if (value.isArray()) {
            value.forEach(text -> texts.add(text.asText()));
        } else {
            texts.add(DemoRuntime.prompt(input));
        }
        for (String text : texts) {
            if (text.length() > MAX_CHARACTERS) {
                throw new IllegalArgumentException("a text to embed has at most " + MAX_CHARACTERS + " characters");
            }
        }
        return texts;
    }

    @Override
    public String label() {
        return "embeddings (all-MiniLM-L6-v2, in-process)";
    }
}
