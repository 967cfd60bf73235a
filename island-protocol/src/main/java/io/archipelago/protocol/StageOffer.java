package io.archipelago.protocol;

import org.jspecify.annotations.Nullable;

/**
 * Inside a {@link JobOffer} of a pipeline job: this Island runs stage {@code index} of {@code count}, the model's
 * layers {@code [fromLayer, toLayer)}, on each of the job's {@code inputs} texts. Stage 0 takes the texts from the
 * offer's input; a later stage hears the activations from {@code previousIsland} on {@link Subjects#hop}; every stage
 * but the last sends its activations to {@code nextIsland}'s hop, and the last sends the embeddings as the job's
 * output on {@link Subjects#results}, as any job does.
 */
public record StageOffer(int v, int index, int count, int fromLayer, int toLayer, int inputs,
                         @Nullable String previousIsland, @Nullable String nextIsland) {

    /** The version of this record's shape. */
    public static final int VERSION = 1;
    /** The most stages a pipeline has. */
    public static final int MAX_STAGES = 8;
    /** The most texts one pipeline job carries. */
    public static final int MAX_INPUTS = 2_048;

    public StageOffer {
        if (v != VERSION) {
            throw new IllegalArgumentException("a stage offer's v is " + VERSION + ", got " + v);
        }
        if (count < 2 || count > MAX_STAGES || index < 0 || index >= count) {
            throw new IllegalArgumentException("a stage is one of 2 to " + MAX_STAGES + " stages, got " + index
                    + " of " + count);
        }
        if (fromLayer < 0 || toLayer <= fromLayer) {
            throw new IllegalArgumentException("a stage runs a non-empty layer range, got [" + fromLayer + ", "
                    + toLayer + ")");
        }
        if (inputs < 1 || inputs > MAX_INPUTS) {
            throw new IllegalArgumentException("a pipeline job has 1 to " + MAX_INPUTS + " inputs, got " + inputs);
        }
        if ((index == 0) != (previousIsland == null) || (index == count - 1) != (nextIsland == null)) {
            throw new IllegalArgumentException("every stage but the first names the previous stage's Island, every"
                    + " stage but the last the next one's");
        }
        if (previousIsland != null) {
            Ids.id("an island id", previousIsland);
        }
        if (nextIsland != null) {
            Ids.id("an island id", nextIsland);
        }
    }

    /** Whether this is the first stage, which tokenizes the texts. */
    public boolean first() {
        return index == 0;
    }

    /** Whether this is the last stage, whose output is the job's. */
    public boolean last() {
        return index == count - 1;
    }
}
