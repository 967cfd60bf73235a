package io.archipelago.agent.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A range of all-MiniLM-L6-v2's encoder, computed in plain Java from the weights of the ONNX file in the
 * langchain4j jar: the first stage looks up the token, position and segment embeddings (and their layer norm), each
 * stage runs transformer layers {@code [from, to)}, and the last one's activations are mean-pooled and normalised
 * into the sentence embedding. A stage keeps only its own layers' weights, which is the memory it asks of an Island.
 */
public final class MiniLmStage {

    /** Transformer layers in the model. */
    public static final int LAYERS = 6;
    /** Width of the hidden states. */
    public static final int WIDTH = 384;
    /** The most tokens (with [CLS] and [SEP]) one text may have: the model's position embeddings. */
    public static final int MAX_TOKENS = 512;

    private static final String MODEL = "all-minilm-l6-v2.onnx";
    private static final int HEADS = 12;
    private static final int HEAD_WIDTH = WIDTH / HEADS;
    private static final int INTERMEDIATE = 1536;
    /** BERT's layer-norm epsilon (the constant the exported graph adds to the variance). */
    private static final float EPSILON = 1e-12f;

    private final int from;
    private final int to;
    private final Map<String, OnnxWeights.Weight> weights;

    private MiniLmStage(int from, int to, Map<String, OnnxWeights.Weight> weights) {
        this.from = from;
        this.to = to;
        this.weights = weights;
    }

    /** Layers {@code [from, to)} of the model shipped in the langchain4j jar, read from the class path. */
    public static MiniLmStage load(int from, int to) {
        return of(modelBytes(), from, to);
    }

    /** Layers {@code [from, to)} of the model whose ONNX bytes are given. */
    public static MiniLmStage of(byte[] model, int from, int to) {
        if (from < 0 || to > LAYERS || from >= to) {
            throw new IllegalArgumentException("a stage runs layers [from, to) within [0, " + LAYERS + "), got ["
                    + from + ", " + to + ")");
        }
        Map<String, OnnxWeights.Weight> weights = OnnxWeights.read(model, name -> wanted(name, from, to));
        MiniLmStage stage = new MiniLmStage(from, to, weights);
        stage.checkWeights();
        return stage;
    }

    /** The ONNX file of all-MiniLM-L6-v2 from the class path. */
    public static byte[] modelBytes() {
        try (InputStream in = MiniLmStage.class.getClassLoader().getResourceAsStream(MODEL)) {
            if (in == null) {
                throw new IllegalStateException(MODEL + " is not on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean wanted(String name, int from, int to) {
        if (name.startsWith("embeddings.")) {
            return from == 0 && !name.equals("embeddings.position_ids");
        }
        for (int layer = from; layer < to; layer++) {
            if (name.startsWith("encoder.layer." + layer + ".")) {
                return true;
            }
        }
        return false;
    }

    private void checkWeights() {
        if (from == 0) {
            weight("embeddings.word_embeddings.weight");
            weight("embeddings.position_embeddings.weight");
            weight("embeddings.token_type_embeddings.weight");
            weight("embeddings.LayerNorm.weight");
            weight("embeddings.LayerNorm.bias");
        }
        for (int layer = from; layer < to; layer++) {
            String prefix = "encoder.layer." + layer + ".";
            for (String module : new String[] {"attention.self.query", "attention.self.key", "attention.self.value",
                    "attention.output.dense", "attention.output.LayerNorm", "intermediate.dense", "output.dense",
                    "output.LayerNorm"}) {
                weight(prefix + module + ".weight");
                weight(prefix + module + ".bias");
            }
        }
    }

    /** The first layer this stage runs. */
    public int from() {
        return from;
    }

    /** One past the last layer this stage runs. */
    public int to() {
        return to;
    }

    /** Whether this stage begins the model (it embeds the tokens). */
    public boolean first() {
        return from == 0;
    }

    /** Whether this stage ends the model (its output is pooled into the embedding). */
    public boolean last() {
        return to == LAYERS;
    }

    /** The bytes of the weights this stage holds. */
    public long weightBytes() {
        return weights.values().stream().mapToLong(weight -> (long) weight.values().length * Float.BYTES).sum();
    }

    /** The first stage's input: token, position and segment embeddings of the token ids, layer-normalised. */
    public Activations embed(int[] tokenIds) {
        if (!first()) {
            throw new IllegalStateException("only the stage that begins at layer 0 embeds tokens");
        }
        if (tokenIds.length < 1 || tokenIds.length > MAX_TOKENS) {
            throw new IllegalArgumentException("a text has 1 to " + MAX_TOKENS + " tokens, got " + tokenIds.length);
        }
        float[] words = weight("embeddings.word_embeddings.weight");
        float[] positions = weight("embeddings.position_embeddings.weight");
        float[] segments = weight("embeddings.token_type_embeddings.weight");
        int vocabulary = words.length / WIDTH;
        float[] x = new float[tokenIds.length * WIDTH];
        for (int t = 0; t < tokenIds.length; t++) {
            if (tokenIds[t] < 0 || tokenIds[t] >= vocabulary) {
                throw new IllegalArgumentException("token id " + tokenIds[t] + " is outside the vocabulary");
            }
            for (int c = 0; c < WIDTH; c++) {
                x[t * WIDTH + c] = words[tokenIds[t] * WIDTH + c] + segments[c] + positions[t * WIDTH + c];
            }
        }
        layerNorm(x, tokenIds.length, "embeddings.LayerNorm");
        return new Activations(tokenIds.length, WIDTH, x);
    }

    /** This stage's layers applied to the previous stage's output (or to {@link #embed}'s). */
    public Activations forward(Activations input) {
        if (input.width() != WIDTH || input.tokens() > MAX_TOKENS) {
            throw new IllegalArgumentException("a stage takes [tokens <= " + MAX_TOKENS + ", " + WIDTH
                    + "] activations, got [" + input.tokens() + ", " + input.width() + "]");
        }
        float[] x = input.values().clone();
        for (int layer = from; layer < to; layer++) {
            x = layer(x, input.tokens(), "encoder.layer." + layer + ".");
        }
        return new Activations(input.tokens(), WIDTH, x);
    }

    /** The sentence embedding: the mean of the last layer's rows, scaled to unit length. */
    public static float[] pool(Activations output) {
        double[] mean = new double[output.width()];
        for (int t = 0; t < output.tokens(); t++) {
            for (int c = 0; c < output.width(); c++) {
                mean[c] += output.values()[t * output.width() + c];
            }
        }
        double norm = 0;
        for (int c = 0; c < mean.length; c++) {
            mean[c] /= output.tokens();
            norm += mean[c] * mean[c];
        }
        norm = Math.sqrt(norm);
        float[] embedding = new float[mean.length];
        for (int c = 0; c < mean.length; c++) {
            embedding[c] = (float) (mean[c] / norm);
        }
        return embedding;
    }

    private float[] layer(float[] x, int tokens, String prefix) {
        float[] query = linear(x, tokens, prefix + "attention.self.query", WIDTH, WIDTH);
        float[] key = linear(x, tokens, prefix + "attention.self.key", WIDTH, WIDTH);
        float[] value = linear(x, tokens, prefix + "attention.self.value", WIDTH, WIDTH);
        float[] context = attention(query, key, value, tokens);
        float[] attended = linear(context, tokens, prefix + "attention.output.dense", WIDTH, WIDTH);
        add(attended, x);
        layerNorm(attended, tokens, prefix + "attention.output.LayerNorm");
        float[] hidden = linear(attended, tokens, prefix + "intermediate.dense", WIDTH, INTERMEDIATE);
        for (int i = 0; i < hidden.length; i++) {
            hidden[i] = (float) (0.5 * hidden[i] * (1 + Erf.erf(hidden[i] / Math.sqrt(2))));
        }
        float[] out = linear(hidden, tokens, prefix + "output.dense", INTERMEDIATE, WIDTH);
        add(out, attended);
        layerNorm(out, tokens, prefix + "output.LayerNorm");
        return out;
    }

    /** Scaled dot-product attention per head; one text, so no position is masked. */
    private static float[] attention(float[] query, float[] key, float[] value, int tokens) {
        float[] context = new float[tokens * WIDTH];
        double scale = 1 / Math.sqrt(HEAD_WIDTH);
        double[] scores = new double[tokens];
        for (int head = 0; head < HEADS; head++) {
            int offset = head * HEAD_WIDTH;
            for (int i = 0; i < tokens; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < tokens; j++) {
                    double dot = 0;
                    for (int c = 0; c < HEAD_WIDTH; c++) {
                        dot += query[i * WIDTH + offset + c] * key[j * WIDTH + offset + c];
                    }
                    scores[j] = dot * scale;
                    max = Math.max(max, scores[j]);
                }
                double sum = 0;
                for (int j = 0; j < tokens; j++) {
                    scores[j] = Math.exp(scores[j] - max);
                    sum += scores[j];
                }
                for (int c = 0; c < HEAD_WIDTH; c++) {
                    double mixed = 0;
                    for (int j = 0; j < tokens; j++) {
                        mixed += scores[j] * value[j * WIDTH + offset + c];
                    }
                    context[i * WIDTH + offset + c] = (float) (mixed / sum);
                }
            }
        }
        return context;
    }

    /** {@code x [tokens, in]} times the module's weight {@code [in, out]}, plus its bias. */
    private float[] linear(float[] x, int tokens, String module, int in, int out) {
        float[] w = weight(module + ".weight");
        float[] b = weight(module + ".bias");
        float[] y = new float[tokens * out];
        for (int t = 0; t < tokens; t++) {
            int row = t * out;
            System.arraycopy(b, 0, y, row, out);
            for (int k = 0; k < in; k++) {
                float xk = x[t * in + k];
                int wRow = k * out;
                for (int j = 0; j < out; j++) {
                    y[row + j] += xk * w[wRow + j];
                }
            }
        }
        return y;
    }

    private static void add(float[] into, float[] residual) {
        for (int i = 0; i < into.length; i++) {
            into[i] += residual[i];
        }
    }

    private void layerNorm(float[] x, int tokens, String module) {
        float[] gamma = weight(module + ".weight");
        float[] beta = weight(module + ".bias");
        for (int t = 0; t < tokens; t++) {
            int row = t * WIDTH;
            double mean = 0;
            for (int c = 0; c < WIDTH; c++) {
                mean += x[row + c];
            }
            mean /= WIDTH;
            double variance = 0;
            for (int c = 0; c < WIDTH; c++) {
                double d = x[row + c] - mean;
                variance += d * d;
            }
            variance /= WIDTH;
            double scale = 1 / Math.sqrt(variance + EPSILON);
            for (int c = 0; c < WIDTH; c++) {
                x[row + c] = (float) ((x[row + c] - mean) * scale * gamma[c] + beta[c]);
            }
        }
    }

    private float[] weight(String name) {
        OnnxWeights.Weight weight = weights.get(name);
        if (weight == null) {
            throw new IllegalStateException("the model has no weight " + name + " for layers [" + from + ", " + to
                    + ")");
        }
        return weight.values();
    }
}
