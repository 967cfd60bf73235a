package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.bridge.stream.StreamChunk;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * One embeddings job's output from the Island, one chunk per input text, {@code {"index": i, "embedding": [...]}},
 * gathered into OpenAI's {@code list} of {@code embedding} objects in input order. The Island is not trusted to be
 * well-formed: a chunk that is not JSON of that shape, an index out of range or given twice, a vector of another
 * length than the others (or than the model's), or a text left without a vector fails the request with 502.
 */
final class EmbeddingRelay implements JobRelay {

    private final ObjectMapper json;
    private final EmbeddingsRequest request;
    private final @Nullable Integer dimensions;
    private final float[][] vectors;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<ObjectNode> finished = new CompletableFuture<>();
    private final Duration bidTtl;
    private @Nullable String malformed;

    EmbeddingRelay(ObjectMapper json, EmbeddingsRequest request, @Nullable Integer dimensions, Duration bidTtl) {
        this.bidTtl = bidTtl;
        this.json = json;
        this.request = request;
        this.dimensions = dimensions;
        this.vectors = new float[request.texts().size()][];
    }

    @Override
    public CompletableFuture<Void> started() {
        return started;
    }

    /** Completes with OpenAI's embeddings response, or exceptionally with {@link OpenAiException}. */
    CompletableFuture<ObjectNode> finished() {
        return finished;
    }

    @Override
    public void onChunk(StreamChunk chunk) {
        started.complete(null);
        if (malformed == null) {
            malformed = take(chunk.text());
        }
    }

    /** Keeps the chunk's vector; says what is wrong with it, or null. */
    private @Nullable String take(String text) {
        JsonNode chunk;
        try {
            chunk = json.readTree(text);
        } catch (JsonProcessingException notJson) {
            return "a chunk is not JSON";
        }
        JsonNode index = chunk == null ? null : chunk.get("index");
        JsonNode embedding = chunk == null ? null : chunk.get("embedding");
        if (index == null || !index.canConvertToInt() || !index.isIntegralNumber() || embedding == null
                || !embedding.isArray() || embedding.isEmpty()) {
            return "a chunk is not {\"index\": i, \"embedding\": [...]}";
        }
        int i = index.asInt();
        if (i < 0 || i >= vectors.length || vectors[i] != null) {
            return "index " + i + " is out of range or given twice";
        }
        int length = dimensions != null ? dimensions : firstLength(embedding.size());
        if (embedding.size() != length) {
            return "vector " + i + " has " + embedding.size() + " dimensions, not " + length;
        }
        float[] vector = new float[length];
        for (int d = 0; d < length; d++) {
            JsonNode value = embedding.get(d);
            if (!value.isNumber()) {
                return "vector " + i + " holds something that is not a number";
            }
            vector[d] = value.floatValue();
        }
        vectors[i] = vector;
        return null;
    }

    private int firstLength(int fallback) {
        for (float[] vector : vectors) {
            if (vector != null) {
                return vector.length;
            }
        }
        return fallback;
    }

    @Override
    public void onCompleted(long units) {
        started.complete(null);
        for (int i = 0; i < vectors.length && malformed == null; i++) {
            if (vectors[i] == null) {
                malformed = "input " + i + " got no vector";
            }
        }
        if (malformed != null) {
            finished.completeExceptionally(new OpenAiException(HttpStatus.BAD_GATEWAY, "server_error",
                    "island_output_malformed", "the Island's output is not embeddings of these inputs: "
                    + malformed));
            return;
        }
        finished.complete(response());
    }

    @Override
    public void onFailed(String reason) {
        started.complete(null);
        finished.completeExceptionally(new OpenAiException(HttpStatus.BAD_GATEWAY, "server_error",
                "island_failed", "the Island could not complete the job: " + reason));
    }

    @Override
    public void onExpired(String reason) {
        started.complete(null);
        finished.completeExceptionally(OpenAiException.expired(reason, bidTtl));
    }

    private ObjectNode response() {
        ObjectNode list = json.createObjectNode().put("object", "list");
        ArrayNode data = list.putArray("data");
        for (int i = 0; i < vectors.length; i++) {
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            if (request.base64()) {
                item.put("embedding", base64(vectors[i]));
            } else {
                ArrayNode values = item.putArray("embedding");
                for (float value : vectors[i]) {
                    values.add(value);
                }
            }
        }
        list.put("model", request.model());
        list.putObject("usage").put("prompt_tokens", request.promptTokens())
                .put("total_tokens", request.promptTokens());
        return list;
    }

    /** The encoding OpenAI's clients decode: the vector's float32 values, little-endian, in Base64. */
    static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : vector) {
            bytes.putFloat(value);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
