package io.archipelago.coordinator.openai;

import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The dimensions of the embeddings Cargos the coordinator knows, from {@code archipelago.openai.embedding-dimensions}
 * ({@code CARGO=N,CARGO=N}). A market does not record what its Cargo's vectors look like, so a request's
 * {@code dimensions} is accepted only when it is the model's own, and an Island's vectors must have that length.
 */
@Component
final class EmbeddingModels {

    /** The namespace of embeddings Cargo types. */
    static final String KIND = "embeddings.";

    private final Map<String, Integer> dimensions = new HashMap<>();

    EmbeddingModels(@Value("${archipelago.openai.embedding-dimensions:embeddings.minilm=384}") String known) {
        for (String pair : known.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int equals = pair.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("archipelago.openai.embedding-dimensions is CARGO=N,..., got "
                        + pair);
            }
            dimensions.put(pair.substring(0, equals).trim(), Integer.parseInt(pair.substring(equals + 1).trim()));
        }
    }

    /**
     * Refuses a model that is not an embeddings Cargo: one named here with its dimensions, or one in the
     * {@value #KIND} namespace. A chat model would answer with text, which no caller of /v1/embeddings can use.
     */
    void requireEmbeddings(String model) {
        if (!dimensions.containsKey(model) && !model.startsWith(KIND)) {
            throw new OpenAiException(HttpStatus.BAD_REQUEST, "invalid_request_error", "model_not_supported",
                    "`" + model + "` is not an embeddings model: use a Cargo type named " + KIND + "*");
        }
    }

    /** Whether {@code model} is an embeddings Cargo, by the rule {@link #requireEmbeddings} refuses others by. */
    boolean isEmbeddings(String model) {
        return dimensions.containsKey(model) || model.startsWith(KIND);
    }

    /** The length of {@code model}'s vectors, or null when it is not known here. */
    @Nullable Integer dimensions(String model) {
        return dimensions.get(model);
    }

    /** Refuses a request for dimensions its model does not give: the Islands do not shorten vectors. */
    void check(EmbeddingsRequest request) {
        Integer asked = request.dimensions();
        if (asked == null) {
            return;
        }
        Integer own = dimensions(request.model());
        if (own == null) {
            throw new OpenAiException(HttpStatus.BAD_REQUEST, "invalid_request_error", "invalid_dimensions",
                    "the dimensions of `" + request.model() + "` are not known here; leave out `dimensions`");
        }
        if (!own.equals(asked)) {
            throw new OpenAiException(HttpStatus.BAD_REQUEST, "invalid_request_error", "invalid_dimensions",
                    "`" + request.model() + "` gives " + own + " dimensions, not " + asked);
        }
    }
}
