package io.archipelago.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The model split for real: all-MiniLM-L6-v2 run as one, two or three stages in plain Java gives ONNX Runtime's
 * embedding of the whole model, also when the activations cross between stages as tensor payloads.
 */
class MiniLmStageTest {

    private static final List<String> TEXTS = List.of("hello islands",
            "How do I reset my password?",
            "The tide comes in twice a day, pulled by the moon and, less strongly, by the sun.",
            "Pipelines place the stages of one model on several Islands together, or not at all.",
            "x",
            "Zurich, Frankfurt and Amsterdam: 3 cities, 1 exchange; prices in micro-credits (10^-6).");
    private static final double TOLERANCE = 1e-4;

    private static byte[] model;
    private static MiniLmTokenizer tokenizer;

    @BeforeAll
    static void readModel() {
        model = MiniLmStage.modelBytes();
        tokenizer = new MiniLmTokenizer();
    }

    @Test
    void oneTwoAndThreeStagesGiveOnnxRuntimesEmbeddingOfTheWholeModel() {
        EmbeddingModel onnx = new AllMiniLmL6V2EmbeddingModel();
        List<List<MiniLmStage>> splits = List.of(stages(0, 6), stages(0, 3, 6), stages(0, 2, 4, 6));
        for (String text : TEXTS) {
            float[] expected = onnx.embed(text).content().vector();
            for (List<MiniLmStage> split : splits) {
                float[] actual = run(split, tokenizer.ids(text));
                assertThat(actual).hasSize(384);
                double diff = maxAbsDiff(expected, actual);
                System.out.printf("%d stage(s), max abs diff %.2e: %s%n", split.size(), diff, text);
                assertThat(diff).as("%d stage(s) on %s", split.size(), text).isLessThan(TOLERANCE);
            }
        }
    }

    @Test
    void aStageHoldsOnlyItsOwnLayersWeights() {
        MiniLmStage whole = MiniLmStage.of(model, 0, 6);
        MiniLmStage middle = MiniLmStage.of(model, 2, 4);
        MiniLmStage last = MiniLmStage.of(model, 4, 6);

        long perLayer = 4L * (4 * 384 * 384 + 2 * 384 * 1536 + 4 * 384 + 1536 + 384 + 4 * 384);
        assertThat(middle.weightBytes()).isEqualTo(2 * perLayer);
        assertThat(last.weightBytes()).isEqualTo(2 * perLayer);
        assertThat(whole.weightBytes()).isEqualTo(6 * perLayer + 4L * (30522 + 512 + 2 + 2) * 384);
        assertThat(middle.first()).isFalse();
        assertThat(last.last()).isTrue();
        assertThatThrownBy(() -> middle.embed(new int[] {101, 102})).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> MiniLmStage.of(model, 3, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MiniLmStage.of(model, 4, 7)).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<MiniLmStage> stages(int... bounds) {
        List<MiniLmStage> stages = new ArrayList<>();
        for (int i = 0; i + 1 < bounds.length; i++) {
            stages.add(MiniLmStage.of(model, bounds[i], bounds[i + 1]));
        }
        return stages;
    }

    /** Each hop goes through the wire form, as between two Islands. */
    private static float[] run(List<MiniLmStage> stages, int[] ids) {
        Activations activations = stages.get(0).embed(ids);
        for (MiniLmStage stage : stages) {
            activations = Activations.of(stage.forward(Activations.of(activations.toTensor())).toTensor());
        }
        return MiniLmStage.pool(activations);
    }

    private static double maxAbsDiff(float[] expected, float[] actual) {
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - actual[i]));
        }
        return max;
    }
}
