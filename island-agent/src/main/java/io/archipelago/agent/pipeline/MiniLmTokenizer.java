package io.archipelago.agent.pipeline;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * all-MiniLM-L6-v2's WordPiece tokenizer, from the tokenizer file in the langchain4j jar, as its ONNX runtime uses
 * it (no padding, [CLS] and [SEP] added).
 */
public final class MiniLmTokenizer implements AutoCloseable {

    private static final String TOKENIZER = "all-minilm-l6-v2-tokenizer.json";

    private final HuggingFaceTokenizer tokenizer;

    public MiniLmTokenizer() {
        try (InputStream in = MiniLmTokenizer.class.getClassLoader().getResourceAsStream(TOKENIZER)) {
            if (in == null) {
                throw new IllegalStateException(TOKENIZER + " is not on the class path");
            }
            tokenizer = HuggingFaceTokenizer.newInstance(in, Map.of("padding", "false"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The token ids of one text, [CLS] first and [SEP] last; a text longer than the model reads is refused. */
    public int[] ids(String text) {
        Encoding encoding = tokenizer.encode(text, true, false);
        long[] ids = encoding.getIds();
        if (ids.length > MiniLmStage.MAX_TOKENS) {
            throw new IllegalArgumentException("a text to embed in a pipeline has at most " + MiniLmStage.MAX_TOKENS
                    + " tokens, this one " + ids.length);
        }
        int[] result = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            result[i] = Math.toIntExact(ids[i]);
        }
        return result;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
