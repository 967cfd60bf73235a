package io.archipelago.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.archipelago.protocol.Codec;
import io.archipelago.protocol.Payload;
import io.archipelago.protocol.Payloads;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real all-MiniLM-L6-v2, offline from its jar: 384 dimensions, and paraphrases closer than unrelated text. */
class EmbeddingsRuntimeTest {

    @Test
    void embedsEachTextAsOneChunkAndPlacesParaphrasesCloserThanUnrelatedText() throws Exception {
        List<String> chunks = new ArrayList<>();
        JsonNode input = Codec.json().readTree("{\"input\": [\"How do I reset my password?\","
                + " \"I forgot my password, how can I change it?\", \"The tide comes in twice a day.\"]}");

        long units = new EmbeddingsRuntime().run("embed.minilm", input, 10, new Output() {
            @Override
            public void send(Payload payload) {
                chunks.add(((Payloads.TextDelta) payload).delta());
            }

            @Override
            public boolean cancelled() {
                return false;
            }
        });

        assertThat(chunks).hasSize(3);
        List<double[]> vectors = new ArrayList<>();
        for (String chunk : chunks) {
            JsonNode embedding = Codec.json().readTree(chunk).path("embedding");
            double[] vector = new double[embedding.size()];
            for (int i = 0; i < vector.length; i++) {
                vector[i] = embedding.get(i).asDouble();
            }
            vectors.add(vector);
        }
        assertThat(vectors.get(0)).hasSize(384);
        double paraphrases = cosine(vectors.get(0), vectors.get(1));
        double unrelated = cosine(vectors.get(0), vectors.get(2));
        System.out.printf("cosine: paraphrases %.2f, unrelated %.2f%n", paraphrases, unrelated);
        assertThat(paraphrases).isGreaterThan(0.6).isGreaterThan(unrelated + 0.3);
        assertThat(units).isEqualTo(1);
    }

    private static double cosine(double[] a, double[] b) {
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            normA += a[i] * a[i];
            normB += b[i] * b[i];
        }
        return dot / Math.sqrt(normA * normB);
    }
}
